// The enrolment QR code, drawn from the SVG the server sends. The SVG is parsed as an
// XML document and only its <rect> and <path> shapes are copied into the page: nothing
// else of it (scripts, event attributes, links) can reach the DOM.
import { useEffect, useRef } from 'preact/hooks';

const SVG_NS = 'http://www.w3.org/2000/svg';
const SHAPE_ATTRIBUTES = ['x', 'y', 'width', 'height', 'd', 'fill'];

export function QrCode(props: { svg: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    const parsed = new DOMParser().parseFromString(props.svg, 'image/svg+xml').documentElement;
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', parsed.getAttribute('viewBox') ?? '0 0 0 0');
    svg.setAttribute('shape-rendering', 'crispEdges');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', props.label);
    for (const shape of Array.from(parsed.children)) {
      if (shape.localName !== 'rect' && shape.localName !== 'path') continue;
      const copy = document.createElementNS(SVG_NS, shape.localName);
      for (const name of SHAPE_ATTRIBUTES) {
        const value = shape.getAttribute(name);
        if (value !== null) copy.setAttribute(name, value);
      }
      svg.appendChild(copy);
    }
    host.replaceChildren(svg);
  }, [props.svg, props.label]);
  return <div class="qr" ref={ref} />;
}
