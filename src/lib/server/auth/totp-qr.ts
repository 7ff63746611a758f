// The enrolment QR code, encoded here (uqr) and drawn as one SVG path: no image service sees the secret.
import { encode } from 'uqr';

export interface QrDrawing {
  /** Width and height in modules, quiet zone included. */
  size: number;
  /** An SVG path of one 1×1 square per dark module. */
  path: string;
}

/** The QR code of `text` (medium error correction, a four-module quiet zone) as an SVG path. */
export function qrDrawing(text: string): QrDrawing {
  const qr = encode(text, { ecc: 'M', border: 4 });
  const parts: string[] = [];
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    });
  });
  return { size: qr.size, path: parts.join('') };
}
