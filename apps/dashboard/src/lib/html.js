// One import for every page: htm bound to Preact's h (no JSX, no build step) and the hooks.
import { h, render, Fragment } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
export { render, Fragment };
export { useState, useEffect, useMemo, useRef, useCallback } from 'preact/hooks';
