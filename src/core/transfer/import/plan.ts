import { CUT_KEY, MAX_NESTING } from '../../model/nesting';
import type { StoreLayout } from '../../stores/layout';
import type { LayoutCodec, LayoutTarget, ProjectContext } from '../codec/codec';
import { LOST } from '../codec/lost';
import type { TransferSession } from '../session';
import { linearize, type TreeMode } from './linearize';
import { NoteSet, type ConflictMode, type SessionAction, type SessionOutcome } from './report';

/**
 * The decisions of an import, made once in the first pass (the preview) and replayed in the second
 * (the write): which target sessions each input session becomes, under which ids, added, renamed,
 * replacing or skipped. Projection is pure, so the write recomputes it from the same input and gets
 * exactly what the preview showed; only the decisions that depend on the store's state are kept.
 */

export interface PlanSettings {
  /** The target's layout; its capabilities say whether a tree must be cut into linear histories. */
  layout: StoreLayout;
  codec: LayoutCodec;
  target: LayoutTarget;
  project: ProjectContext;
  onConflict: ConflictMode;
  tree: TreeMode;
}

interface Decision {
  id: string;
  action: SessionAction;
}

export interface PlannedSession {
  sourceId: string;
  decisions: Decision[];
}

export interface Projected {
  session: TransferSession;
  replace: boolean;
}

export class ImportPlan {
  readonly sessions: PlannedSession[] = [];
  /** Ids this import will hold in the target, so two input sessions never land on one id. */
  private readonly claimed = new Set<string>();

  constructor(private readonly settings: PlanSettings) {}

  /** First pass, for one input session: decide, project, and say what happens to it. */
  add(s: TransferSession, notes: NoteSet): SessionOutcome[] {
    const { codec, target } = this.settings;
    const skip = skipReason(s, codec);
    if (skip) {
      notes.warn(`Session "${s.id}": ${skip}; skipped.`);
      this.sessions.push({ sourceId: s.id, decisions: [] });
      return [{ sourceId: s.id, id: s.id, action: 'skipped', messages: 0, lost: [], reason: skip }];
    }
    if (!s.hasTranscript && this.settings.layout.capabilities.transcripts) {
      notes.warn(`Session "${s.id}" has no transcript in its store (metadata only); it is imported without messages.`);
    }
    if (s.status === 'unindexed') notes.warn(`Session "${s.id}" had messages but no session record in its store; the import gives it one.`);

    const outcomes: SessionOutcome[] = [];
    const decisions: Decision[] = [];
    // What cutting a tree loses belongs to each of its pieces as much as to the whole import.
    const cut = new NoteSet();
    if (s.cut) {
      cut.lost(LOST.deepValues);
      cut.warn(`Session "${s.id}": ${s.cut} record(s) nest deeper than ${MAX_NESTING} levels; what lies deeper was cut when read, and a marker {"${CUT_KEY}": "nested … levels deep; cut at ${MAX_NESTING}"} is imported in its place.`);
    }
    const pieces = this.pieces(s, cut);
    notes.absorb(cut);
    for (const piece of pieces) {
      const wanted = codec.safeId ? codec.safeId(piece.id) : piece.id;
      let reason: string | undefined;
      if (wanted !== piece.id) {
        reason = `"${piece.id}" cannot name a session in this layout`;
        notes.warn(`Session "${piece.id}" is stored as "${wanted}": ${reason}.`);
      }
      const decision = this.decide(wanted, wanted !== piece.id);
      decisions.push(decision);
      if (decision.action === 'skipped') {
        reason = this.claimed.has(wanted) && !target.has(wanted) ? 'the input holds this id twice' : 'a session with this id exists in the target';
        outcomes.push({ sourceId: s.id, id: wanted, action: 'skipped', messages: 0, lost: [], reason });
        continue;
      }
      if (decision.action === 'renamed' && decision.id !== wanted) reason = `"${wanted}" is taken`;
      this.claimed.add(decision.id);
      const own = new NoteSet();
      own.absorb(cut);
      const projected = codec.project({ ...piece, id: decision.id }, this.settings.project, own);
      target.check?.(projected, own);
      notes.absorb(own);
      outcomes.push({ sourceId: s.id, id: decision.id, action: decision.action, messages: projected.messages.length, lost: [...own.lostItems], ...(reason ? { reason } : {}) });
    }
    this.sessions.push({ sourceId: s.id, decisions });
    return outcomes;
  }

  /** Second pass: the sessions to write for the `index`-th input session, as the first pass decided. */
  replay(s: TransferSession, index: number): Projected[] {
    const planned = this.sessions[index];
    if (!planned || planned.sourceId !== s.id) {
      throw new Error(`the input changed while importing (session ${index + 1} was "${planned?.sourceId ?? 'absent'}", now "${s.id}"); nothing was written`);
    }
    if (planned.decisions.length === 0) return [];
    const pieces = this.pieces(s, new NoteSet());
    return planned.decisions.flatMap((d, k) =>
      d.action === 'skipped' ? [] : [{ session: this.settings.codec.project({ ...pieces[k], id: d.id }, this.settings.project, new NoteSet()), replace: d.action === 'replaced' }],
    );
  }

  private pieces(s: TransferSession, notes: NoteSet): TransferSession[] {
    const { capabilities } = this.settings.layout;
    // A layout without transcripts keeps no messages to cut; one with linear histories keeps one path each.
    return capabilities.transcripts && capabilities.history === 'linear' ? linearize(s, this.settings.tree, notes) : [s];
  }

  private decide(id: string, sanitized: boolean): Decision {
    const taken = (x: string) => this.claimed.has(x) || this.settings.target.has(x);
    if (!taken(id)) return { id, action: sanitized ? 'renamed' : 'added' };
    switch (this.settings.onConflict) {
      case 'skip':
        return { id, action: 'skipped' };
      case 'replace':
        // Replacing what this same import just wrote would lose an input session: skip the second.
        return this.claimed.has(id) ? { id, action: 'skipped' } : { id, action: 'replaced' };
      case 'rename': {
        let candidate = `${id}-imported`;
        for (let n = 2; taken(candidate); n++) candidate = `${id}-imported-${n}`;
        return { id: candidate, action: 'renamed' };
      }
    }
  }
}

/** Sessions nothing can be written for, whatever the target. */
function skipReason(s: TransferSession, codec: LayoutCodec): string | null {
  if (s.status === 'missing') return 'its store lists it but holds none of its messages';
  if (s.status === 'unreadable') {
    // Only the layout it came from can take it back, byte for byte; Arbor never guesses at its content.
    const carried = s.source.format === codec.format && typeof s.original?.messages === 'string';
    if (!carried) return `its messages are unreadable in its ${s.source.format} store, and only that layout can take them as they are`;
  }
  return null;
}
