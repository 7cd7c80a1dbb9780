"""The use cases, once: what the docks' tasks and the Processing algorithms both run.

One function per use case (import, score, train, predict, backtest, fairness
audit, trends, aggregated export). Each takes clean inputs (frames under the
data contract, a model, a store object) and settings, and returns a result
object that carries the :class:`~tranquillite_plugin.pipeline.record.AuditRecord`
it produces: the caller writes that record to the store it worked on
(``Observatory.record``), so the docks and the toolbox write one row shape per
algorithm.

Qt-free and QGIS-free (an import-linter contract checks it): reading layers,
showing progress and writing outputs stay with the callers; user-visible
messages too (they are translated there).
"""
