import type { DayUnits } from "../activity.js";

const WIDTH = 760;
const HEIGHT = 220;
const LEFT = 44;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 28;

/** A scale top that reads well on the axis: 1, 2, 5, 10, 20, 50... */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** Restored vs withheld units per day, as server-rendered SVG: no script, readable by screen readers through its title and description. */
export function UnitsChart({ days }: { days: DayUnits[] }) {
  const restored = days.reduce((sum, day) => sum + day.restored, 0);
  const withheld = days.reduce((sum, day) => sum + day.withheld, 0);
  const top = niceMax(Math.max(0, ...days.map((day) => Math.max(day.restored, day.withheld))));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, days.length);
  const bar = Math.max(2, Math.floor(slot * 0.36));
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const ticks = [0, top / 2, top].filter((tick) => Number.isInteger(tick));
  const first = days[0]?.day ?? "";
  const last = days.at(-1)?.day ?? "";
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby="chart-title chart-desc"
        xmlns="http://www.w3.org/2000/svg"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="chart-title">Units restored and withheld per day</title>
        <desc id="chart-desc">{`From ${first} to ${last} (UTC): ${restored} units restored, ${withheld} units withheld.`}</desc>
        {ticks.map((tick) => (
          <g key={tick} class="axis">
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} class="grid" />
            <text x={LEFT - 6} y={y(tick) + 4} text-anchor="end">
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          const x = LEFT + index * slot + (slot - 2 * bar) / 2;
          return (
            <g key={day.day}>
              <rect class="bar-restored" x={x} y={y(day.restored)} width={bar} height={y(0) - y(day.restored)}>
                <title>{`${day.day}: ${day.restored} restored`}</title>
              </rect>
              <rect class="bar-withheld" x={x + bar} y={y(day.withheld)} width={bar} height={y(0) - y(day.withheld)}>
                <title>{`${day.day}: ${day.withheld} withheld`}</title>
              </rect>
              {(index % 5 === 0 || index === days.length - 1) && (
                <text class="axis" x={LEFT + index * slot + slot / 2} y={HEIGHT - 8} text-anchor="middle">
                  {day.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          <li>
            <span class="swatch swatch-restored" aria-hidden="true" /> Restored: <strong>{restored}</strong> units
          </li>
          <li>
            <span class="swatch swatch-withheld" aria-hidden="true" /> Withheld: <strong>{withheld}</strong> units
          </li>
          {restored + withheld === 0 && <li class="muted">No cancellations in the last 30 days.</li>}
        </ul>
      </figcaption>
    </figure>
  );
}
