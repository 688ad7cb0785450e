/**
 * Phones carry a CJK system font (PingFang, Noto Sans CJK …), so the spectators' page lists those first and
 * does not download the bundled one. A device without any CJK font (detected by drawing 匠 and an unassigned
 * code point: the same glyph for both is the missing-glyph box) loads the bundled font's slices.
 */
function hasCjkFont(): boolean {
  try {
    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    const context = canvas.getContext('2d');
    if (!context) return true;
    context.font = '40px sans-serif';
    // Different advances prove a real glyph for 匠; equal ones (a box can be as wide) leave it to the pixels.
    if (context.measureText('匠').width !== context.measureText('\u{10FFFD}').width) return true;
    const draw = (text: string) => {
      context.clearRect(0, 0, 48, 48);
      context.fillText(text, 2, 40);
      return context.getImageData(0, 0, 48, 48).data.join(',');
    };
    const glyph = draw('匠');
    // A browser that adds noise to canvas reads (against fingerprinting) tells nothing: load the font then.
    if (draw('匠') !== glyph) return false;
    return glyph !== draw('\u{10FFFD}');
  } catch {
    return true;
  }
}

/**
 * Loads the bundled font's @font-face rules on a device without a CJK font, resolving once they apply: the page
 * must not render before, since Chromium keeps the missing-glyph boxes of text laid out before the rules exist.
 */
export async function ensureCjkFont(): Promise<void> {
  if (typeof document === 'undefined' || hasCjkFont()) return;
  // The bundled family first (spectator.css): Chromium then waits for its slices instead of settling on boxes.
  document.documentElement.classList.add('cjk-bundled');
  await import('../common/ui/fonts');
}
