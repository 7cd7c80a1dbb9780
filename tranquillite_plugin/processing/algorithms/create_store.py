"""tranquillite:createstore — create (or open and upgrade) an observatory store."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterCrs,
    QgsProcessingParameterString,
)

from tranquillite_plugin.core.contract import DEFAULT_CRS
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm


class CreateStoreAlgorithm(TranquilliteAlgorithm):
    NAME = "createstore"
    DISPLAY = "Create observatory store"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = (
        "Creates an observatory store: the layers (facts, past and planned events, sectors, traffic axes, "
        "cameras), the settings, the model's saved state and the audit trail, in one place.\n\n"
        "STORE is a GeoPackage file (a path ending in .gpkg: embedded, for one workstation or offline use) or a "
        "PostgreSQL/PostGIS connection shared by a supervision centre: postgresql://user@host:5432/database, "
        "PG:dbname=... host=..., or service=name. The tables go in the schema 'tranquillite' unless the "
        "connection says schema=name. On PostGIS, every workstation's layers redraw within a second when "
        "another one changes them.\n\n"
        "When STORE already holds a store, it is opened and upgraded to the plugin's schema version instead. "
        "CRS is the store's working CRS (default EPSG:2154, Lambert-93); every distance is in its units."
    )

    STORE = "STORE"
    CRS = "CRS"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)"))
        )
        self.addParameter(
            QgsProcessingParameterCrs(self.CRS, self.tr("Working CRS of the store"), DEFAULT_CRS, True)
        )
        self.addOutput(QgsProcessingOutputString(self.STORE, self.tr("Store")))
        self.addOutput(QgsProcessingOutputBoolean("CREATED", self.tr("Created (false: an existing store was opened)")))
        self.addOutput(QgsProcessingOutputNumber("SCHEMA_VERSION", self.tr("Schema version")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.observatory import Observatory

        target = self.parameterAsString(parameters, self.STORE, context).strip()
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        authid = crs.authid() if crs.isValid() else DEFAULT_CRS
        try:
            created = not Observatory.is_store(target)
            obs = Observatory.create(target, authid) if created else Observatory.open(target)
        except (StoreError, ValueError) as err:
            raise QgsProcessingException(str(err)) from None
        with obs:
            self.warn_transport(obs, feedback)
            if created:
                feedback.pushInfo(self.tr("Store created: {} (CRS {}, schema version {})").format(obs.target, obs.crs, obs.schema_version))
            else:
                feedback.pushInfo(
                    self.tr("Existing store opened: {} (CRS {}, schema version {})").format(obs.target, obs.crs, obs.schema_version)
                )
                if obs.crs != authid:
                    feedback.pushWarning(self.tr("The store's CRS is {}; the CRS parameter ({}) is ignored").format(obs.crs, authid))
                counts = obs.counts()
                feedback.pushInfo(", ".join(f"{k}: {v}" for k, v in counts.items()))
            return {self.STORE: target, "CREATED": created, "SCHEMA_VERSION": obs.schema_version}
