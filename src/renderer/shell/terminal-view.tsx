// One terminal tab: xterm.js fed by the core's session, sized to its box, with a search box
// (Ctrl+Shift+F), clickable links, copy and paste (Ctrl+Shift+C/V) and the app's light or dark theme.
import { useEffect, useRef, useState } from 'react';
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import './terminal-theme.css';
import type { ShellStore } from './shell-store.js';
import { i18n } from '../i18n.js';

/** The terminal's colours from the stylesheet's variables (terminal-theme.css), which follow the app. */
export function readTerminalTheme(element: Element = document.documentElement): ITheme {
  const style = getComputedStyle(element);
  const v = (name: string) => style.getPropertyValue(name).trim() || undefined;
  const ansi = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
  const theme: ITheme = { background: v('--term-bg'), foreground: v('--term-fg'), cursor: v('--term-cursor'), selectionBackground: v('--term-selection') };
  const colours = theme as Record<string, string | undefined>;
  ansi.forEach((name, i) => {
    colours[name] = v(`--term-${i}`);
    colours[`bright${name[0].toUpperCase()}${name.slice(1)}`] = v(`--term-${i + 8}`);
  });
  return theme;
}

/** Calls `listener` when the app's theme may have changed: the system preference or <html data-theme>. */
function onThemeChange(listener: () => void): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', listener);
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
  return () => {
    media.removeEventListener('change', listener);
    observer.disconnect();
  };
}

const SEARCH_DECORATIONS: ISearchOptions['decorations'] = {
  matchBackground: '#ffe066',
  matchOverviewRuler: '#ffd43b',
  activeMatchBackground: '#ff922b',
  activeMatchColorOverviewRuler: '#ff922b',
};

export function TerminalView({ store, id, visible }: { store: ShellStore; id: string; visible: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const fit = useRef<FitAddon | undefined>(undefined);
  const searchAddon = useRef<SearchAddon | undefined>(undefined);
  const searchInput = useRef<HTMLInputElement>(null);
  const terminal = useRef<Terminal | undefined>(undefined);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [regex, setRegex] = useState(false);
  const [results, setResults] = useState<{ index: number; count: number } | undefined>(undefined);
  const { t } = i18n;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const term = new Terminal({ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 13, theme: readTerminalTheme(), scrollback: 5000, allowProposedApi: true });
    const fitAddon = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fitAddon);
    term.loadAddon(search);
    // In Electron the main process sends window.open to the system browser; in web mode, a new tab.
    term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener')));
    term.open(element);
    terminal.current = term;
    fit.current = fitAddon;
    searchAddon.current = search;
    const found = search.onDidChangeResults(({ resultIndex, resultCount }) => setResults({ index: resultIndex, count: resultCount }));
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      const key = event.key.toLowerCase();
      // The browser's own Ctrl+Shift+V (paste as plain text) would paste a second time, and
      // Ctrl+Shift+C opens the inspector: the terminal takes these keys.
      if (key === 'c' || key === 'v' || key === 'f') event.preventDefault();
      if (key === 'c') {
        const selection = term.getSelection();
        if (selection) void navigator.clipboard?.writeText(selection).catch(() => undefined);
        return false;
      }
      if (key === 'v') {
        void navigator.clipboard?.readText().then((text) => text && term.paste(text)).catch(() => undefined);
        return false;
      }
      if (key === 'f') {
        setSearching(true);
        setTimeout(() => searchInput.current?.select(), 0);
        return false;
      }
      return true;
    });
    const off = store.onData(id, (data) => term.write(data));
    const input = term.onData((data) => store.input(id, data));
    const resized = term.onResize(({ cols, rows }) => store.resize(id, cols, rows));
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fitAddon.fit();
    });
    observer.observe(element);
    const themed = onThemeChange(() => (term.options.theme = readTerminalTheme()));
    return () => {
      themed();
      observer.disconnect();
      found.dispose();
      off();
      input.dispose();
      resized.dispose();
      term.dispose();
      terminal.current = undefined;
    };
  }, [store, id]);
  useEffect(() => {
    if (visible && box.current && box.current.clientWidth > 0) fit.current?.fit();
  }, [visible]);

  const find = (backwards: boolean, incremental = false) => {
    const search = searchAddon.current;
    if (!search) return;
    if (query === '') {
      search.clearDecorations();
      setResults(undefined);
      return;
    }
    const options: ISearchOptions = { regex, caseSensitive: false, incremental, decorations: SEARCH_DECORATIONS };
    const hit = backwards ? search.findPrevious(query, options) : search.findNext(query, options);
    if (!hit) setResults({ index: -1, count: 0 });
  };
  const closeSearch = () => {
    searchAddon.current?.clearDecorations();
    setSearching(false);
    setResults(undefined);
    terminal.current?.focus();
  };

  return (
    <div className="terminal-pane" style={{ display: visible ? 'flex' : 'none' }}>
      {searching && (
        <div className="terminal-search" role="search">
          <input
            ref={searchInput}
            type="search"
            aria-label={t('term.search')}
            placeholder={t('term.searchPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyUp={(e) => {
              if (e.key !== 'Enter' && e.key !== 'Escape') find(false, true);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') find(e.shiftKey);
              if (e.key === 'Escape') closeSearch();
            }}
          />
          <label title={t('term.regex')}>
            <input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} /> .*
          </label>
          <span className="muted terminal-search-count" data-index={results?.index ?? ''} data-count={results?.count ?? ''}>
            {results ? (results.count === 0 ? t('term.noMatch') : `${results.index + 1}/${results.count}`) : ''}
          </span>
          <button type="button" aria-label={t('term.previous')} data-action="search-previous" onClick={() => find(true)}>
            ↑
          </button>
          <button type="button" aria-label={t('term.next')} data-action="search-next" onClick={() => find(false)}>
            ↓
          </button>
          <button type="button" aria-label={t('term.closeSearch')} onClick={closeSearch}>
            ×
          </button>
        </div>
      )}
      <div className="terminal-box" ref={box} data-terminal-id={id} />
    </div>
  );
}
