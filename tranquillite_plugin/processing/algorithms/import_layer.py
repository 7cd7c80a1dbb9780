"""tranquillite:importlayer — check a layer against the data contract and import it into a store."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs

KINDS = ("facts", "events", "sectors", "axes", "cameras")
MODES = ("append", "replace")


class ImportLayerAlgorithm(TranquilliteAlgorithm):
    NAME = "importlayer"
    DISPLAY = "Import layer into the store"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = (
        "Checks a layer against the data contract and imports it into an observatory store, all or nothing: "
        "a cancelled or failed import leaves the store as it was.\n\n"
        "KIND says what the layer holds: facts (points: category, occurred_at, optional count and source), "
        "events (event_id, nature, participants, start, end, optional sector; points, itineraries or areas), "
        "sectors (polygons: sector_id, name), axes (lines: axis_id, name, status, updated_at) or cameras "
        "(points: camera_id, radius_m, optional bearing_deg and fov_deg). Field names are matched without regard "
        "to case; FIELD_MAP maps others onto them, e.g. 'category=type_fait, occurred_at=date'. PLANNED marks "
        "imported events as planned.\n\n"
        "The layer is read in any CRS and stored in the store's. Personal data is refused: a field whose name or "
        "content looks personal (names, e-mail, telephone, plates, birth dates, free text) stops the import "
        "unless it is listed in DROP_FIELDS (comma-separated).\n\n"
        "A layer that breaks the contract as a whole (a required field missing, no CRS) fails with the contract "
        "report; features that break it one by one are refused and listed, the others are imported. MODE "
        "append adds the features (those whose id is already in the store are refused); replace empties the "
        "layer first. Outputs: how many features were read, taken, repaired and refused, and the report."
    )

    INPUT = "INPUT"
    KIND = "KIND"
    STORE = "STORE"
    FIELD_MAP = "FIELD_MAP"
    DROP_FIELDS = "DROP_FIELDS"
    PLANNED = "PLANNED"
    MODE = "MODE"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.INPUT, self.tr("Layer to import"), [QgsProcessing.TypeVectorAnyGeometry])
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.KIND, self.tr("Kind of layer"),
                [self.tr("facts"), self.tr("events"), self.tr("sectors"), self.tr("axes"), self.tr("cameras")], False, 0,
            )
        )
        self.addParameter(QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)")))
        self.addParameter(
            QgsProcessingParameterString(
                self.FIELD_MAP, self.tr("Field map (e.g. category=type_fait, occurred_at=date)"), "", False, True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(self.DROP_FIELDS, self.tr("Fields to drop (comma-separated)"), "", False, True)
        )
        self.addParameter(QgsProcessingParameterBoolean(self.PLANNED, self.tr("Events are planned (no facts yet)"), False))
        self.addParameter(
            QgsProcessingParameterEnum(self.MODE, self.tr("Mode"), [self.tr("append"), self.tr("replace")], False, 0)
        )
        self.addOutput(QgsProcessingOutputVectorLayer(self.OUTPUT, self.tr("Store layer")))
        self.addOutput(QgsProcessingOutputString(self.STORE, self.tr("Store")))
        for name, label in (
            ("READ", self.tr("Features read")),
            ("TAKEN", self.tr("Features taken")),
            ("REPAIRED", self.tr("Features repaired")),
            ("REFUSED", self.tr("Features refused")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString("REPORT", self.tr("Import report")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.core.contract import ContractError
        from tranquillite_plugin.core.score import Cancelled
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.observatory import Observatory, parse_field_map, parse_list

        layer = self.vector_layer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        kind = KINDS[self.parameterAsEnum(parameters, self.KIND, context)]
        planned = self.parameterAsBool(parameters, self.PLANNED, context)
        if planned and kind != "events":
            raise QgsProcessingException(self.tr("PLANNED applies to events only"))
        mode = MODES[self.parameterAsEnum(parameters, self.MODE, context)]
        target = self.parameterAsString(parameters, self.STORE, context).strip()
        try:
            field_map = parse_field_map(self.parameterAsString(parameters, self.FIELD_MAP, context))
        except ValueError as err:
            raise QgsProcessingException(self.tr("FIELD_MAP: {}").format(err)) from None
        drop = parse_list(self.parameterAsString(parameters, self.DROP_FIELDS, context))
        try:
            obs = Observatory.open(target)
        except (StoreError, ValueError) as err:
            raise QgsProcessingException(str(err)) from None
        with obs:
            self.warn_transport(obs, feedback)
            if obs.crs != working_crs():
                feedback.pushInfo(self.tr("The store's CRS is {}: the layer is reprojected into it").format(obs.crs))
            feedback.setProgressText(self.tr("Importing '{}' as {} into {}").format(layer.name(), kind, obs.target))
            try:
                report = obs.import_layer(
                    kind, layer, field_map=field_map, drop_fields=drop, mode=mode,
                    status="planned" if planned else None, feedback=feedback,
                    parameters=self.audit_parameters(parameters, context),
                )
            except ContractError as err:
                lines = [self.tr("The layer breaks the data contract: {}").format(err)]
                if getattr(err, "report", None) is not None:
                    lines.append(err.report.summary())
                raise QgsProcessingException("\n".join(lines)) from None
            except Cancelled:
                raise QgsProcessingException(self.tr("Import cancelled: the store is unchanged")) from None
            except (StoreError, IOError, ValueError) as err:  # PersonalDataError is a ValueError
                raise QgsProcessingException(self.tr("Import failed, the store is unchanged: {}").format(err)) from None
            self.push_report(report, feedback)
            feedback.pushInfo(self.tr("{} now holds {} {}").format(obs.target, obs.count(kind), kind))
            # the events just imported: past ones, or planned ones (a planned event is not a past one to score or learn)
            status = ("planned" if planned else "past") if kind == "events" else None
            source = obs.uri(kind, status=status)
            if obs.provider == "postgres":
                source = f"postgres://{source}"
            return {
                self.OUTPUT: source,
                self.STORE: target,
                "READ": report.read,
                "TAKEN": report.taken,
                "REPAIRED": report.repaired,
                "REFUSED": report.refused,
                "REPORT": report.summary(),
            }
