import { useArbor } from '../store';
import { Modal } from './Modal';

const SHORTCUTS: Array<[string[], string]> = [
  [['↑', '↓'], 'Previous / next message in the transcript (or session in the list)'],
  [['←', '→'], 'Previous / next branch at the selected message'],
  [['Home', 'End'], 'First / last item'],
  [['Enter'], 'Open the focused session or graph node'],
  [['/'], 'Focus the session filter'],
  [['Delete'], 'Delete the focused session, or the selected ones (a preview comes first)'],
  [['Ctrl/⌘', 'K'], 'Search every open source (also Ctrl+Shift+F)'],
  [['Ctrl/⌘', 'F'], 'Find in this session (Enter / Shift+Enter: next / previous)'],
  [['g'], 'Move focus between the graph and the transcript'],
  [['↑', '↓', '←', '→'], 'In the graph: parent, first child, previous / next sibling'],
  [['Home', 'End'], 'In the graph: the root, the active leaf'],
  [['?'], 'Show this help'],
  [['Esc'], 'Close dialogs'],
];

export function ShortcutsDialog() {
  const close = useArbor((s) => s.closeDialog);
  return (
    <Modal title="Keyboard shortcuts" onClose={close} className="shortcuts-dialog">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <th scope="row">
                {keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
