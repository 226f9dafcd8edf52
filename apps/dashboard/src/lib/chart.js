// One ECharts instance per chart, canvas renderer. Browser tests wait for data-rendered="true".
import * as echarts from 'echarts';
import { html, useEffect, useRef } from './html.js';

const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const BASE = {
  textStyle: { fontFamily: FONT, color: '#364152' },
  animationDuration: 300,
};

/**
 * A chart of `option` (an ECharts option, replaced as a whole when it changes), `height` px
 * high and as wide as its container. `onClick(params)` receives ECharts' click events.
 */
export function Chart({ option, height = 280, testId, onClick }) {
  const element = useRef(null);
  const chart = useRef(null);
  const clickHandler = useRef(onClick);
  clickHandler.current = onClick;

  useEffect(() => {
    const instance = echarts.init(element.current, null, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('finished', () => element.current?.setAttribute('data-rendered', 'true'));
    instance.on('click', (params) => clickHandler.current?.(params));
    const resize = () => instance.resize();
    const observer = new ResizeObserver(resize);
    observer.observe(element.current);
    window.addEventListener('resize', resize);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!chart.current || !option) return;
    element.current.setAttribute('data-rendered', 'false');
    chart.current.setOption({ ...BASE, ...option }, true);
  }, [option]);

  return html`<div class="chart" data-testid=${testId} ref=${element} style=${{ height: `${height}px` }}></div>`;
}
