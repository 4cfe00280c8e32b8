// monaco-yaml's language service, bundled as our own worker file: Vite emits it next to the app,
// so it loads from 'self' under the CSP (no blob: or data: workers).
import 'monaco-yaml/yaml.worker.js';
