"""Processing provider ``tranquillite``: every step of the observatory, headless."""

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from tranquillite_plugin.i18n import tr

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons", "tranquillite.svg")


def algorithm_classes():
    """The provider's algorithms, one class per file in processing/algorithms."""
    from tranquillite_plugin.processing.algorithms.make_demo_city import MakeDemoCityAlgorithm
    from tranquillite_plugin.processing.algorithms.score_events import ScoreEventsAlgorithm
    from tranquillite_plugin.processing.algorithms.sector_statistics import SectorStatisticsAlgorithm

    classes = [ScoreEventsAlgorithm, MakeDemoCityAlgorithm, SectorStatisticsAlgorithm]
    # the similarity model (SPEC §4): training, prediction, backtest
    from tranquillite_plugin.processing.algorithms.backtest import BacktestAlgorithm
    from tranquillite_plugin.processing.algorithms.predict_events import PredictEventsAlgorithm
    from tranquillite_plugin.processing.algorithms.train_model import TrainModelAlgorithm

    classes += [TrainModelAlgorithm, PredictEventsAlgorithm, BacktestAlgorithm]
    # accountability (SPEC §7): fairness audit, trends and alerts, aggregated export
    from tranquillite_plugin.processing.algorithms.export_aggregated import ExportAggregatedAlgorithm
    from tranquillite_plugin.processing.algorithms.fairness_audit import FairnessAuditAlgorithm
    from tranquillite_plugin.processing.algorithms.trends import TrendsAlgorithm

    classes += [FairnessAuditAlgorithm, TrendsAlgorithm, ExportAggregatedAlgorithm]
    # the observatory store (SPEC §6): create, import, verify the audit trail
    from tranquillite_plugin.processing.algorithms.create_store import CreateStoreAlgorithm
    from tranquillite_plugin.processing.algorithms.import_layer import ImportLayerAlgorithm
    from tranquillite_plugin.processing.algorithms.offline import ExportOfflineAlgorithm, SyncBackAlgorithm
    from tranquillite_plugin.processing.algorithms.verify_audit import VerifyAuditAlgorithm

    classes += [CreateStoreAlgorithm, ImportLayerAlgorithm, VerifyAuditAlgorithm, ExportOfflineAlgorithm, SyncBackAlgorithm]
    # transparency (issue 17): the algorithm notice and record, the fairness control, retention
    from tranquillite_plugin.processing.algorithms.transparency import (
        AlgorithmNoticeAlgorithm,
        ApplyRetentionAlgorithm,
        FairnessControlAlgorithm,
    )

    classes += [AlgorithmNoticeAlgorithm, FairnessControlAlgorithm, ApplyRetentionAlgorithm]
    return classes


class TranquilliteProvider(QgsProcessingProvider):
    def id(self):
        return "tranquillite"

    def name(self):
        return tr("Tranquillité publique")

    def longName(self):
        return tr("Tranquillité publique — public-order observatory")

    def icon(self):
        return QIcon(ICON)

    def svgIconPath(self):
        return ICON

    def loadAlgorithms(self):
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
