// The interface's CJK font travels with the app (no CJK font is assumed on the device, nothing comes from the
// internet): Noto Sans SC split by unicode-range, so a page downloads only the slices of the characters it shows.
import '@fontsource/noto-sans-sc/400.css';
