import type * as echarts from 'echarts';

/**
 * The marks bench-chart.ts draws on its category axes besides the bars: min–max whiskers and
 * value labels that step past the marks beside them (custom series: ECharts has none for them),
 * and goal marks.
 */

/** What a custom series' renderItem is handed (the parts used here). */
interface RenderApi {
  value(dimension: number): unknown;
  coord(point: number[]): number[];
}

/** From `[index, low, high]` on a category axis: a capped line from low to high, where both are known, `dy` px below the row's middle. A custom series. */
export function whiskers(axis: number, data: readonly number[][], dy = 0): echarts.SeriesOption {
  return {
    type: 'custom', xAxisIndex: axis, yAxisIndex: axis, silent: true, z: 5,
    data: data.map((item) => [...item]),
    renderItem: (_params: unknown, api: RenderApi) => {
      const [index, low, high] = [0, 1, 2].map((dimension) => api.value(dimension) as number) as [number, number, number];
      if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
      const line = (x1: number, y1: number, x2: number, y2: number) => ({ type: 'line', shape: { x1, y1, x2, y2 }, style: { stroke: '#333333', lineWidth: 1.2 } });
      const [x1, middle] = api.coord([low, index]) as [number, number];
      const y = middle + dy;
      const [x2] = api.coord([high, index]) as [number, number];
      return { type: 'group', children: [line(x1, y, x2, y), line(x1, y - 4, x1, y + 4), line(x2, y - 4, x2, y + 4)] };
    },
  } as unknown as echarts.SeriesOption;
}

/** How far past a bar a mark still pushes its label on, in px (about a label's width). */
const LABEL_CLEARANCE_PX = 80;

/**
 * From `[index, value, end, ...marks]`: `format(value)` written `dy` px below the middle of
 * the line's row, just right of `end` (the bar, or its whisker), or right of a mark (a goal, a
 * reference) that stands where the label would be; a bar's own label would sit under them.
 * A custom series.
 */
export function labels(axis: number, data: readonly number[][], dy: number, format: (value: number, index: number) => string): echarts.SeriesOption {
  return {
    type: 'custom', xAxisIndex: axis, yAxisIndex: axis, silent: true, z: 7,
    data: data.map((item) => [...item]),
    renderItem: (_params: unknown, api: RenderApi) => {
      const width = data[0]?.length ?? 3;
      const [index, value, end, ...marks] = Array.from({ length: width }, (_, dimension) => api.value(dimension) as number) as [number, number, number, ...number[]];
      const [endX, y] = api.coord([end, index]) as [number, number];
      let x = endX;
      for (const markX of marks.filter(Number.isFinite).map((mark) => api.coord([mark, index])[0]!).sort((a, b) => a - b)) {
        if (markX >= x - 4 && markX - x < LABEL_CLEARANCE_PX) x = markX + 4;
      }
      return { type: 'text', style: { text: format(value, index), x: x + 8, y: y + dy, verticalAlign: 'middle', fill: '#222222', fontSize: 12 } };
    },
  } as unknown as echarts.SeriesOption;
}

/** A goal as an upright mark of `color` across its line. */
export function goalMarks(axis: number, data: readonly number[][], heightPx: number, color: string): echarts.SeriesOption {
  return { type: 'scatter', name: 'goal', xAxisIndex: axis, yAxisIndex: axis, symbol: 'rect', symbolSize: [3, heightPx], color, z: 6, data: data.map((item) => [...item]) };
}
