import { exportsTest as test } from './chat-export-stores';
import { expect } from './fixtures';
import { chooseSource, expectTranscriptText, messages, sessionList, transcript } from './helpers';

/** The app on a folder of real chat exports (ChatGPT's .zip, claude.ai's JSON, a cut-off download). */
test.describe('chat exports', () => {
  test('opens a ChatGPT export and switches a regenerated answer', async ({ app: page }) => {
    const sources = page.getByRole('region', { name: 'Sources' });
    await expect(sources).toContainText('ChatGPT export');
    await chooseSource(page, 'chatgpt-export.zip');
    await expect(sessionList(page).getByRole('option')).toHaveCount(6);
    await expect(sessionList(page)).toContainText('Oscar for Rental Webshop');
    await sessionList(page).getByRole('option', { name: /Logo design for Pieterkuppens\.net/ }).click();

    // The export's current_node: the first of the two answers to the colour question.
    await expectTranscriptText(page, [/Do you have a third color to complement this/, /We could consider adding a third color/], [/I suggest using a light gray/]);
    const answer = messages(page).filter({ hasText: 'We could consider adding a third color' });
    await expect(answer.getByRole('group', { name: /Branch 1 of 2/ })).toContainText('1/2');
    await answer.getByRole('button', { name: 'Next branch' }).click();

    // The regenerated answer replaces it, in the same place.
    await expectTranscriptText(page, [/I suggest using a light gray/], [/We could consider adding a third color/]);
    const regenerated = messages(page).filter({ hasText: 'I suggest using a light gray' });
    await expect(regenerated.getByRole('group', { name: /Branch 2 of 2/ })).toContainText('2/2');
    await expect(regenerated).toBeInViewport();
    await regenerated.getByRole('button', { name: 'Previous branch' }).click();
    await expectTranscriptText(page, [/We could consider adding a third color/], [/I suggest using a light gray/]);
  });

  test('shows browsing, quotes and code of a ChatGPT conversation as text', async ({ app: page, pageErrors }) => {
    await chooseSource(page, 'chatgpt-export.zip');
    await sessionList(page).getByRole('option', { name: /Oscar for Rental Webshop/ }).click();
    await expectTranscriptText(page, [/Can you read the documentation at/, /open_url\("https:\/\/django-oscar\.readthedocs\.io/]);
    await expect(transcript(page).locator('pre code').first()).toBeVisible();
    expect(pageErrors).toEqual([]);
  });

  test('opens a claude.ai export: untitled conversations listed, a conversation read in order', async ({ app: page }) => {
    await expect(page.getByRole('region', { name: 'Sources' })).toContainText('claude.ai export');
    await chooseSource(page, 'conversations.json');
    await expect(sessionList(page)).toContainText('How Photosynthesis Works');
    await sessionList(page).getByRole('option', { name: /How Photosynthesis Works/ }).click();
    await expectTranscriptText(page, [/Can you explain how photosynthesis works in simple terms\?/, /Photosynthesis is how plants make their own food/]);
    // Ten messages in one line (the transcript is virtualized: only what is on screen exists).
    await expect(messages(page).first()).toHaveAttribute('aria-label', 'user message, 1 of 10');
    await expect(messages(page).nth(1)).toHaveAttribute('aria-label', 'assistant message, 2 of 10');
  });

  test('a half-downloaded ChatGPT export lists what arrived and says where it was cut', async ({ app: page }) => {
    await chooseSource(page, 'half-downloaded.json');
    await expect(sessionList(page).getByRole('option').first()).toBeVisible();
    const sources = page.getByRole('region', { name: 'Sources' });
    await sources.getByText(/1 warning/).click();
    await expect(sources).toContainText(/cut off \(a half-downloaded export\?\)/);
  });
});
