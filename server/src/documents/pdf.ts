import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { DRAFT_MARK, type Provenance, provenanceText } from './model';

/**
 * Printable A4 documents in Chinese (decision 011): pdfkit with Noto Sans SC (OFL) from the installed
 * `@embedpdf/fonts-sc` package, embedded as a subset with its ToUnicode map, so the text is text (searchable,
 * `pdftotext` reads it) and nothing is fetched at run time. A draft carries 草稿 DRAFT across every page;
 * every page names the audit position the document was made from.
 */

const fontDir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '../fonts');
let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** The fonts, read once (8 MB each; pdfkit embeds only the glyphs used). */
const cjkFonts = () => {
  fonts ??= {
    regular: readFileSync(join(fontDir, 'NotoSansHans-Regular.otf')),
    bold: readFileSync(join(fontDir, 'NotoSansHans-Bold.otf')),
  };
  return fonts;
};

const MARGIN = 48;
const FOOTER = 36;
const BORDER = '#b8b8b8';

export interface PdfColumn {
  header: string;
  /** A share of the line's width (the shares of a table add up to 1). */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** One document being written: headings, paragraphs, tables that break across pages, signature lines. */
export class PdfWriter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(
    title: string,
    private readonly provenance: Provenance,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
      bufferPages: true,
      lang: 'zh-CN',
      displayTitle: true,
      info: { Title: title, Creator: '匠心 Jiangxin', Producer: '匠心 Jiangxin' },
    });
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    const { regular, bold } = cjkFonts();
    this.doc.registerFont('regular', regular);
    this.doc.registerFont('bold', bold);
    this.doc.font('regular').fontSize(10).fillColor('black');
  }

  private get width() {
    return this.doc.page.width - MARGIN * 2;
  }

  private get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` still fits on this one. */
  private room(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: string) {
    this.doc.font('bold').fontSize(18).text(text, MARGIN, this.doc.y, { width: this.width, align: 'center' });
    this.doc.moveDown(0.4);
    return this;
  }

  heading(text: string) {
    this.room(60);
    this.doc.moveDown(0.6);
    this.doc.font('bold').fontSize(13).text(text, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
    return this;
  }

  paragraph(text: string, options: { size?: number; align?: 'left' | 'center'; color?: string } = {}) {
    this.doc
      .font('regular')
      .fontSize(options.size ?? 10)
      .fillColor(options.color ?? 'black')
      .text(text, MARGIN, this.doc.y, { width: this.width, align: options.align ?? 'left' });
    this.doc.fillColor('black');
    return this;
  }

  /** A table with its header repeated on every page it runs onto; cells wrap. */
  table(columns: readonly PdfColumn[], rows: readonly (readonly string[])[], fontSize = 9) {
    const widths = columns.map((c) => c.width * this.width);
    const pad = 3;
    const heightOf = (cells: readonly string[], font: string) => {
      this.doc.font(font).fontSize(fontSize);
      return (
        Math.max(
          ...cells.map((cell, i) =>
            this.doc.heightOfString(cell || ' ', { width: (widths[i] ?? 0) - pad * 2 }),
          ),
        ) +
        pad * 2
      );
    };
    const line = (cells: readonly string[], font: string, fill: string | null) => {
      const height = heightOf(cells, font);
      let x = MARGIN;
      const y = this.doc.y;
      cells.forEach((cell, i) => {
        const w = widths[i] ?? 0;
        if (fill) this.doc.rect(x, y, w, height).fill(fill);
        this.doc.rect(x, y, w, height).lineWidth(0.5).stroke(BORDER);
        this.doc
          .fillColor('black')
          .font(font)
          .fontSize(fontSize)
          .text(cell, x + pad, y + pad, { width: w - pad * 2, align: columns[i]?.align ?? 'left' });
        x += w;
      });
      this.doc.x = MARGIN;
      this.doc.y = y + height;
    };
    const headers = columns.map((c) => c.header);
    this.room(heightOf(headers, 'bold') * 2);
    line(headers, 'bold', '#eeeeee');
    for (const row of rows) {
      if (this.doc.y + heightOf(row, 'regular') > this.bottom) {
        this.doc.addPage();
        line(headers, 'bold', '#eeeeee');
      }
      line(row, 'regular', null);
    }
    this.doc.font('regular').fontSize(10);
    return this;
  }

  /** Lines to sign by hand: each role with its people's names printed under the line. */
  signatures(signers: readonly { role: string; names: readonly string[] }[]) {
    this.room(110);
    this.doc.moveDown(2);
    const column = this.width / signers.length;
    const top = this.doc.y;
    signers.forEach((signer, i) => {
      const x = MARGIN + i * column;
      this.doc
        .font('regular')
        .fontSize(11)
        .text(`${signer.role}（签字）：`, x, top, { width: column - 12 });
      const lineY = top + 40;
      this.doc
        .moveTo(x, lineY)
        .lineTo(x + column - 24, lineY)
        .lineWidth(0.8)
        .stroke('black');
      this.doc
        .fontSize(9)
        .text(signer.names.join('、') || ' ', x, lineY + 4, { width: column - 24 })
        .text('日期：', x, lineY + 30, { width: column - 24 });
      this.doc
        .moveTo(x + 30, lineY + 42)
        .lineTo(x + column - 24, lineY + 42)
        .lineWidth(0.5)
        .stroke('black');
    });
    this.doc.x = MARGIN;
    this.doc.y = top + 90;
    return this;
  }

  /** Footers (audit position, page numbers) and, on a draft, the watermark on every page; then the bytes. */
  finish(): Promise<Buffer> {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      const { width, height } = this.doc.page;
      // Writing in the bottom margin must not start a new page.
      this.doc.page.margins.bottom = 0;
      this.doc
        .font('regular')
        .fontSize(7)
        .fillColor('#555555')
        .text(provenanceText(this.provenance), MARGIN, height - MARGIN - 14, {
          width: width - MARGIN * 2 - 60,
          lineBreak: false,
          ellipsis: true,
        })
        .text(`第 ${i - start + 1} / ${count} 页`, width - MARGIN - 60, height - MARGIN - 14, {
          width: 60,
          align: 'right',
          lineBreak: false,
        });
      if (this.provenance.draft) {
        this.doc.save();
        this.doc.rotate(-35, { origin: [width / 2, height / 2] });
        this.doc
          .font('bold')
          .fontSize(90)
          .fillColor('#d0342c')
          .fillOpacity(0.14)
          .text(DRAFT_MARK, 0, height / 2 - 55, { width, align: 'center', lineBreak: false });
        this.doc.restore();
      }
    }
    this.doc.end();
    return this.done;
  }
}
