import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { hostNamedIn, linkHost, misleadingHost, textOf } from '../../src/renderer/src/lib/markdown/link-host';

describe('where a link goes and what its text claims', () => {
  it('names the host the browser will reach, look-alike letters in punycode', () => {
    expect(linkHost('https://evil.example/steal?x=1')).toBe('evil.example');
    expect(linkHost('https://user:pw@evil.example:8443/')).toBe('evil.example:8443');
    expect(linkHost('https://exаmple.org/')).toBe('xn--exmple-4nf.org');
    expect(linkHost('mailto:someone@example.org')).toBe('someone@example.org');
  });

  it('finds a host named in link text, with or without a scheme, and ignores what is not one', () => {
    expect(hostNamedIn('https://docs.example.org/login')).toBe('docs.example.org');
    expect(hostNamedIn('see docs.example.org.')).toBe('docs.example.org');
    expect(hostNamedIn('the guide')).toBeNull();
    expect(hostNamedIn('version 1.2.3')).toBeNull();
    expect(hostNamedIn('e.g. this')).toBeNull();
  });

  it('flags a text that names another host, and not one that names the same (www. aside) or none', () => {
    expect(misleadingHost('https://docs.example.org/login', 'https://evil.example/')).toBe('docs.example.org');
    expect(misleadingHost('docs.example.org', 'https://docs.example.org.evil.example/')).toBe('docs.example.org');
    expect(misleadingHost('https://example.org', 'https://www.example.org/a')).toBeNull();
    expect(misleadingHost('docs.example.org/guide', 'https://DOCS.example.org/guide')).toBeNull();
    expect(misleadingHost('click here', 'https://evil.example/')).toBeNull();
    expect(misleadingHost('mail me at a.example.org', 'mailto:x@b.example')).toBeNull();
  });

  it('reads the text of a React subtree (formatted link text)', () => {
    const node = ['Sign in at ', createElement('strong', null, 'docs.', createElement('em', null, 'example.org'))];
    expect(textOf(node)).toBe('Sign in at docs.example.org');
  });
});
