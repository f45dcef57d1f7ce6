/** A table that scrolls sideways on its own on a narrow screen (focusable, so the keyboard can scroll it). */
export function ScrollTable({ label, caption, children }: { label: string; caption: string; children: React.ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="grid">
        <caption>{caption}</caption>
        {children}
      </table>
    </div>
  );
}
