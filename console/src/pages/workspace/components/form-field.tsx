import type { ReactNode } from 'react';

/**
 * A labelled field with its help or error line, laid out as antd's vertical Form.Item: antd's
 * Form (its field store and validation) is not needed for three inputs and would weigh on the
 * route every agent loads.
 */
export function Field({ label, htmlFor, error, help, children }: { label: string; htmlFor: string; error?: string | null; help?: ReactNode; children: ReactNode }) {
  return (
    <div style={{ flex: '1 1 0', minWidth: 0, marginBottom: 8 }}>
      <label htmlFor={htmlFor} style={{ display: 'block', paddingBottom: 8 }}>
        {label}
      </label>
      {children}
      {(error || help) && (
        <div role={error ? 'alert' : undefined} style={{ fontSize: 14, lineHeight: 1.5715, color: error ? '#ff4d4f' : 'rgba(0, 0, 0, 0.45)' }}>
          {error ?? help}
        </div>
      )}
    </div>
  );
}

/** Fields side by side, as a Row of equal Cols. */
export function FieldRow({ children, style }: { children: ReactNode; style?: React.CSSProperties }) {
  return <div style={{ display: 'flex', gap: 12, ...style }}>{children}</div>;
}
