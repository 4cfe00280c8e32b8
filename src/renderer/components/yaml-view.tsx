// Where the layout shows the selected object: the object panel (details, YAML, events, actions).
// Kept under this name so the layout's import did not have to change.
import type { AppStore } from '../app-store.js';
import { ObjectPanel } from '../object/object-panel.js';

export function YamlView({ store }: { store: AppStore }) {
  return <ObjectPanel store={store} />;
}
