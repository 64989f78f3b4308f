import type { KeyboardEvent, ReactNode } from 'react';
import type { TCell, TColumnWidth, TDocumentModel, TTable } from '../../../../domain';

/**
 * The printed 申报书 on screen: the same model the PDF and DOCX renderers walk
 * (src/domain/documents/print-model.ts), drawn as A4-like sheets in the PDF's order — cover,
 * 填报说明, 一 … 十. Every text is a React text node (never markup). The PDF decides the page
 * breaks, so 一 … 十 flow on one long sheet here; the footer carries the 申报编号 and the
 * content hash as on every printed page.
 */

/** Width of the A4 text block in the PDF (21 cm − 2.7 cm − 2.5 cm margins). */
const TEXT_WIDTH_CM = 15.8;

/** Column widths as percentages of the text block: fixed cm first, `fr` shares the rest. */
export function columnPercents(columns: TColumnWidth[]): number[] {
  const fixed = columns.reduce((n, c) => n + ('cm' in c ? c.cm : 0), 0);
  const frs = columns.reduce((n, c) => n + ('fr' in c ? c.fr : 0), 0);
  const rest = Math.max(TEXT_WIDTH_CM - fixed, 0);
  return columns.map((c) => (('cm' in c ? c.cm : frs > 0 ? (rest * c.fr) / frs : 0) / TEXT_WIDTH_CM) * 100);
}

const WATERMARK = `url("data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="794" height="1123"><text x="397" y="600" text-anchor="middle" transform="rotate(-35 397 560)" font-family="Noto Sans CJK SC, Source Han Sans SC, sans-serif" font-weight="700" font-size="170" letter-spacing="34" fill="#ececec">草稿</text></svg>',
)}")`;

type Jump = ((path: string) => void) | undefined;

export function PrintPreview({ model, onJump }: { model: TDocumentModel; onJump?: (path: string) => void }) {
  const { meta, cover, instructions } = model;
  return (
    <div className="print-preview" data-testid="print-preview" data-draft={meta.draft ? 'true' : 'false'}>
      <Sheet meta={meta} page="第 1 页" className="print-cover" label="封面">
        <div className="cover-title">{cover.title}</div>
        <div className="cover-subtitle">{cover.subtitle}</div>
        <dl className="cover-fields">
          {cover.fields.map((f) => (
            <div key={f.label} className="cover-field">
              <dt>
                <Spread text={f.label} />
              </dt>
              <dd {...jumpProps(f.path, f.label, onJump)} data-path={f.path}>
                {f.value}
              </dd>
            </div>
          ))}
        </dl>
        <div className="cover-issuer">{cover.issuer}</div>
      </Sheet>
      <Sheet meta={meta} page="第 2 页" label="填报说明">
        <h3 className="instructions-title">
          <Spread text={instructions.title} />
        </h3>
        {instructions.items.map((t) => (
          <p key={t} className="instructions-item">
            {t}
          </p>
        ))}
      </Sheet>
      <Sheet meta={meta} page="第 3 页起（分页以 PDF 为准）" label="一至十">
        {model.sections.map((sec) => (
          <section key={sec.key} className="print-section" aria-label={sec.title} data-testid={`preview-${sec.key}`}>
            {sec.tables.map((t, i) => (
              <PrintTable key={i} table={t} onJump={onJump} />
            ))}
          </section>
        ))}
      </Sheet>
    </div>
  );
}

function Sheet({ meta, page, label, className, children }: { meta: TDocumentModel['meta']; page: string; label: string; className?: string; children: ReactNode }) {
  return (
    <article
      className={`print-sheet${className ? ` ${className}` : ''}`}
      aria-label={label}
      style={meta.draft ? { backgroundImage: WATERMARK } : undefined}
    >
      <div className="print-body">{children}</div>
      <footer className="print-footer">
        <div className="print-footer-row">
          <span data-testid="preview-number">申报编号：{meta.number}</span>
          <span>{page}</span>
          <span data-testid="preview-hash">内容校验码：{meta.contentHash}</span>
        </div>
        <div className="print-footer-status">
          {meta.statusLabel} · 生成于 {meta.generatedAt}
        </div>
      </footer>
    </article>
  );
}

/** "联系人" spread over the label width, like the template's "联 系 人". */
function Spread({ text }: { text: string }) {
  return (
    <span className="spread" aria-label={text}>
      {Array.from(text).map((ch, i) => (
        <span key={i} aria-hidden>
          {ch}
        </span>
      ))}
    </span>
  );
}

function jumpProps(path: string | undefined, what: string, onJump: Jump) {
  if (!path || !onJump) return {};
  return {
    className: 'jump',
    role: 'button',
    tabIndex: 0,
    title: `到编辑页填写：${what}`,
    onClick: () => onJump(path),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onJump(path);
      }
    },
  };
}

function PrintTable({ table, onJump }: { table: TTable; onJump: Jump }) {
  const widths = columnPercents(table.columns);
  return (
    <table className="print-table">
      <colgroup>
        {widths.map((w, i) => (
          <col key={i} style={{ width: `${w}%` }} />
        ))}
      </colgroup>
      {table.header.length > 0 && (
        <thead>
          {table.header.map((row, r) => (
            <tr key={r}>
              {row.map((c, i) => (
                <PrintCell key={i} cell={c} header onJump={onJump} />
              ))}
            </tr>
          ))}
        </thead>
      )}
      <tbody>
        {table.rows.map((row, r) => (
          <tr key={r}>
            {row.map((c, i) => (
              <PrintCell key={i} cell={c} onJump={onJump} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PrintCell({ cell, header, onJump }: { cell: TCell; header?: boolean; onJump: Jump }) {
  const Tag = header ? 'th' : 'td';
  const jump = cell.kind === 'title' || cell.kind === 'head' || cell.kind === 'label' ? {} : jumpProps(cell.path, describe(cell), onJump);
  return (
    <Tag
      colSpan={cell.colspan}
      rowSpan={cell.rowspan}
      scope={header && cell.kind === 'head' ? 'col' : undefined}
      data-kind={cell.kind}
      data-path={cell.path}
      {...jump}
      className={[`cell-${cell.kind}`, cell.align ? `align-${cell.align}` : '', jump.className ?? ''].filter(Boolean).join(' ')}
    >
      <CellContent cell={cell} />
    </Tag>
  );
}

const describe = (c: TCell): string => c.text || c.lead || (c.paras && c.paras[0]) || '此处';

function CellContent({ cell: c }: { cell: TCell }) {
  switch (c.kind) {
    case 'title':
      return (
        <>
          <span className="title-text">{c.text}</span>
          {c.hint && <span className="title-hint">{c.hint}</span>}
        </>
      );
    case 'head':
      return c.hint ? (
        <span className="head-with-hint">
          <span className="head-text">{c.text}</span>
          <span className="head-hint">{c.hint}</span>
        </span>
      ) : (
        <span className="head-text">{c.text}</span>
      );
    case 'label':
      return <>{c.text}</>;
    case 'value':
      return c.paras ? (
        <>
          {c.paras.map((p, i) => (
            <span key={i} className="value-line">
              {p}
            </span>
          ))}
        </>
      ) : (
        <>{c.text}</>
      );
    case 'prose':
      return (
        <>
          {(c.paras ?? []).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </>
      );
    case 'list':
      return (
        <>
          {c.lead && <p className="list-lead">{c.lead}</p>}
          {(c.paras ?? []).map((p, i) => (
            <p key={i} className="list-item">
              {p}
            </p>
          ))}
        </>
      );
    case 'signature': {
      const sg = c.signature;
      if (!sg) return null;
      return (
        <div className="signature">
          <div className="signature-row">
            <div className="signature-sign">
              {sg.signLabel}
              {sg.signatory && <div className="signature-name">（{sg.signatory}）</div>}
            </div>
            <div className="signature-seal" aria-label="盖章处">
              {sg.sealLabel}
            </div>
          </div>
          <div className="signature-date">{sg.date}</div>
        </div>
      );
    }
    default:
      return <>{c.text}</>;
  }
}
