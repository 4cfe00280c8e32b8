// The command palette (Ctrl/Cmd+K): type to filter clusters, kinds, loaded objects and actions;
// arrows to choose, Enter to run, Escape to close. Shortcuts are listed beside their actions.
import { observer } from 'mobx-react-lite';
import { useEffect, useMemo, useRef, useState } from 'react';
import { i18n, type MessageKey } from '../i18n.js';
import { currentFrame, isMac, SHORTCUTS, type FrameStore } from './frame-store.js';
import { rankItems, shortcutLabel } from './palette-items.js';

export const Palette = observer(function Palette() {
  const frame = currentFrame();
  if (!frame?.paletteOpen) return null;
  return <PaletteDialog frame={frame} />;
});

const PaletteDialog = observer(function PaletteDialog({ frame }: { frame: FrameStore }) {
  const { t } = i18n;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const all = frame.items;
  const results = useMemo(() => rankItems(all, query), [all, query]);
  const index = Math.min(active, Math.max(0, results.length - 1));
  const opener = useRef<Element | null>(typeof document !== 'undefined' ? document.activeElement : null);

  useEffect(() => {
    input.current?.focus();
    const previous = opener.current;
    // Focus goes back where it was, as with any dialog.
    return () => {
      if (previous instanceof HTMLElement) previous.focus();
    };
  }, []);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [index, results]);

  const run = (i: number) => {
    const item = results[i];
    if (!item) return;
    frame.closePalette();
    item.run();
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((index + 1) % Math.max(1, results.length));
    else if (e.key === 'ArrowUp') setActive((index - 1 + results.length) % Math.max(1, results.length));
    else if (e.key === 'PageDown') setActive(Math.min(results.length - 1, index + 10));
    else if (e.key === 'PageUp') setActive(Math.max(0, index - 10));
    else if (e.key === 'Enter') run(index);
    else if (e.key === 'Escape') frame.closePalette();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && frame.closePalette()}>
      <div className="palette" role="dialog" aria-modal="true" aria-label={t('frame.palette')}>
        <input
          ref={input}
          className="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={results[index] ? `palette-${index}` : undefined}
          aria-label={t('frame.palette')}
          placeholder={t('palette.placeholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id="palette-list" ref={list} className="palette-list" role="listbox" aria-label={t('frame.palette')}>
          {results.map((item, i) => (
            <li
              key={item.id}
              id={`palette-${i}`}
              role="option"
              aria-selected={i === index}
              className={i === index ? 'palette-item active' : 'palette-item'}
              data-palette-id={item.id}
              onMouseMove={() => i !== index && setActive(i)}
              onClick={() => run(i)}
            >
              <span className={`palette-group group-${item.group}`}>{t(`palette.group.${item.group}` as MessageKey)}</span>
              <span className="palette-label">{item.label}</span>
              {item.detail && <span className="palette-detail">{item.detail}</span>}
              {item.shortcut && <kbd className="palette-shortcut">{shortcutLabel(item.shortcut, isMac)}</kbd>}
            </li>
          ))}
          {results.length === 0 && <li className="palette-empty muted">{t('palette.empty')}</li>}
        </ul>
        <footer className="palette-footer muted">
          <span>{t('palette.hint')}</span>
          <span>
            <kbd>{shortcutLabel(SHORTCUTS.palette, isMac)}</kbd> {t('shortcut.palette')} · <kbd>{shortcutLabel(SHORTCUTS.settings, isMac)}</kbd> {t('shortcut.settings')} ·{' '}
            <kbd>{shortcutLabel(SHORTCUTS.sandbox, isMac)}</kbd> {t('shortcut.sandbox')}
          </span>
        </footer>
      </div>
    </div>
  );
});
