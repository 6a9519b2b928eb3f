// The ECharts the dashboard ships: only the charts and components it draws, as the
// `echarts` global that our wasm binding (src/app/chart_view.rs) calls. Adding a
// series type or component to a chart option means adding it here too, or ECharts
// silently ignores it (the chart tests in src/domain/panels/chart.rs list them).
import * as echarts from 'echarts/core';
import { LineChart, BarChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  LegendComponent,
  BrushComponent,
  MarkPointComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, BrushComponent, MarkPointComponent, CanvasRenderer]);

globalThis.echarts = echarts;
