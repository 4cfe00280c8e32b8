// Building blocks of the details views: a definition list, label chips, a conditions table.
import type { ReactNode } from 'react';
import { i18n } from '../i18n.js';

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="detail-section">
      <h4>{title}</h4>
      {children}
    </section>
  );
}

export function Fields({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(([, v]) => v !== undefined && v !== null && v !== '');
  return (
    <dl className="object-fields">
      {shown.map(([k, v]) => (
        <div key={k} className="object-field">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Chips({ map }: { map: Record<string, string> | undefined }) {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return <span className="muted">{i18n.t('object.none')}</span>;
  return (
    <span className="chips">
      {entries.map(([k, v]) => (
        <span key={k} className="chip" title={`${k}=${v}`}>
          {k}={v}
        </span>
      ))}
    </span>
  );
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function Conditions({ conditions, good = 'True' }: { conditions: Condition[] | undefined; good?: string }) {
  const { t } = i18n;
  if (!conditions || conditions.length === 0) return null;
  return (
    <Section title={t('object.conditions')}>
      <table className="mini">
        <tbody>
          {conditions.map((c) => (
            <tr key={c.type} data-condition={c.type}>
              <td>{c.type}</td>
              <td className={c.status === good ? 'ok' : 'bad'}>{c.status}</td>
              <td>{c.reason}</td>
              <td className="wrap">{c.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

/** "3m", "2h", "5d" since an RFC 3339 time. */
export function age(time: string | undefined, now = Date.now()): string {
  if (!time) return '';
  const s = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
