// Draws every <canvas data-chart="id"> from the JSON in <script id="id" type="application/json">.
// Charts are decoration: each one's figures are in an accessible table on the same page.
const palette = ['#1d70b8', '#f47738', '#00703c', '#4c2c92', '#d4351c', '#505a5f']

for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
  const source = document.getElementById(canvas.dataset.chart)
  if (!source || !window.Chart) continue
  const spec = JSON.parse(source.textContent)
  // eslint-disable-next-line no-new
  new window.Chart(canvas, {
    type: spec.type || 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.data,
        backgroundColor: s.colour || palette[i % palette.length],
        borderColor: s.colour || palette[i % palette.length],
        fill: false
      }))
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: 'bottom' } },
      scales: spec.type === 'doughnut' ? {} : { y: { beginAtZero: true, stacked: !!spec.stacked, ticks: spec.counts ? { precision: 0 } : {} }, x: { stacked: !!spec.stacked } }
    }
  })
}
