"""tranquillite:exportoffline and tranquillite:syncback — offline copies of a shared store and their return."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm


class ExportOfflineAlgorithm(TranquilliteAlgorithm):
    NAME = "exportoffline"
    DISPLAY = "Export an offline copy"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = (
        "Writes a GeoPackage observatory from a store (usually the shared PostGIS one), for work without the "
        "network: the layers, past events with their scores, the settings, the saved models and the audit trail, "
        "row for row. The copy is signed and anchored on this workstation, and remembers the version of each "
        "axis, camera and planned event, so that tranquillite:syncback can later push its work back without "
        "overwriting what changed on the shared store meanwhile. The store's trail must verify first."
    )

    STORE = "STORE"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)")))
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("Offline copy"), "GeoPackage (*.gpkg)"))
        self.addOutput(QgsProcessingOutputNumber("N_AUDIT_ROWS", self.tr("Audit rows copied")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.observatory import Observatory
        from tranquillite_plugin.store.offline import export_offline

        target = self.parameterAsString(parameters, self.STORE, context).strip()
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        try:
            with Observatory.open(target) as source:
                self.warn_transport(source, feedback)
                copy = export_offline(source, path)
                n = len(copy.audit_rows())
                copy.close()
        except (StoreError, ValueError, IOError) as err:
            raise QgsProcessingException(self.tr("No offline copy made: {}").format(err)) from None
        feedback.pushInfo(self.tr("Offline copy written to {} ({} audit rows)").format(path, n))
        return {self.OUTPUT: path, "N_AUDIT_ROWS": n}


class SyncBackAlgorithm(TranquilliteAlgorithm):
    NAME = "syncback"
    DISPLAY = "Push an offline copy back"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = (
        "Pushes to the shared store what was done on an offline copy made by tranquillite:exportoffline: the "
        "planned events created offline, the edits of axes, cameras and planned events, and the audit rows "
        "written offline. An edit of a feature that also changed on the shared store since the export is a "
        "conflict: it is reported, feature by feature, and never overwrites. Running it again pushes nothing "
        "twice. The offline copy's audit trail must verify first."
    )

    OFFLINE = "OFFLINE"
    STORE = "STORE"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString(self.OFFLINE, self.tr("Offline copy (.gpkg)")))
        self.addParameter(QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)")))
        for name, label in (("N_PLANNED", self.tr("Planned events added")), ("N_EDITS", self.tr("Edits pushed")),
                            ("N_CONFLICTS", self.tr("Conflicts")), ("N_AUDIT_ROWS", self.tr("Audit rows pushed"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString("CONFLICTS", self.tr("Conflicts, one per line")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.observatory import Observatory
        from tranquillite_plugin.store.offline import sync_back

        offline_path = self.parameterAsString(parameters, self.OFFLINE, context).strip()
        target = self.parameterAsString(parameters, self.STORE, context).strip()
        try:
            with Observatory.open(offline_path) as offline, Observatory.open(target) as store:
                self.warn_transport(store, feedback)
                report = sync_back(offline, store)
        except (StoreError, ValueError, IOError) as err:
            raise QgsProcessingException(self.tr("Nothing pushed: {}").format(err)) from None
        for line in report.conflicts:
            feedback.reportError(line, False)
        feedback.pushInfo(
            self.tr("{} planned events added, {} edits pushed, {} conflicts, {} audit rows pushed").format(
                len(report.planned_added), len(report.edits_pushed), len(report.conflicts), report.audit_rows_pushed
            )
        )
        return {"N_PLANNED": len(report.planned_added), "N_EDITS": len(report.edits_pushed),
                "N_CONFLICTS": len(report.conflicts), "N_AUDIT_ROWS": report.audit_rows_pushed,
                "CONFLICTS": "\n".join(report.conflicts)}
