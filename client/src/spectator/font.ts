/**
 * Phones carry a CJK system font (PingFang, Noto Sans CJK …), so the spectators' page lists those first and
 * does not download the bundled one. A device without any CJK font (detected by drawing 匠 and an unassigned
 * code point: the same pixels mean both are the missing-glyph box) loads the bundled font's slices.
 */
function hasCjkFont(): boolean {
  try {
    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    const context = canvas.getContext('2d');
    if (!context) return true;
    const draw = (text: string) => {
      context.clearRect(0, 0, 48, 48);
      context.font = '40px sans-serif';
      context.fillText(text, 2, 40);
      return context.getImageData(0, 0, 48, 48).data.join(',');
    };
    return draw('匠') !== draw('\u{10FFFD}');
  } catch {
    return true;
  }
}

export function ensureCjkFont() {
  if (typeof document !== 'undefined' && !hasCjkFont()) void import('../common/ui/fonts');
}
