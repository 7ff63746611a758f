// anafanafo ships no types: it returns the width in pixels of a text in the given CSS font.
declare module 'anafanafo' {
  export default function anafanafo(text: string, options?: { font?: string; guess?: boolean }): number;
}
