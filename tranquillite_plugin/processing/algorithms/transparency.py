"""tranquillite:algorithmnotice, tranquillite:fairnesscontrol, tranquillite:applyretention (issue 17).

The notice and the record of processing are generated from the store and its
model (``store.disclosure`` → ``core.disclosure`` → ``report.notice``); the
control compares the current model's fairness audit with the last one kept;
retention turns detail older than each layer kind's retention into counts.
"""

from __future__ import annotations

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm

LANGUAGES = ("fr", "en")


def _open(target: str):
    from tranquillite_plugin.store.observatory import Observatory

    return Observatory.open(target.strip())


def _model(path: str):
    if not path:
        return None
    from tranquillite_plugin.core.model_io import load_model

    return load_model(path)


class AlgorithmNoticeAlgorithm(TranquilliteAlgorithm):
    NAME = "algorithmnotice"
    DISPLAY = "Algorithm notice and record of processing"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = (
        "Writes the algorithm notice (the four items of the French CRPA, art. R311-3-1-2: degree and mode of "
        "contribution to the decision, data processed and their sources, parameters and their weights, operations "
        "performed; and the latest backtest) and the record of processing (purposes, data categories, recipients, "
        "retention, security measures, impact-analysis annex), in French and English, as HTML and PDF.\n\n"
        "Every figure is read from the store (layers, counts, date ranges, source values, the privacy guard's "
        "decisions, audit trail, fairness control history, retention, roles, security in force) and from the "
        "model: the store's saved model, or MODEL when given. Nothing is typed by hand."
    )
    STORE = "STORE"
    MODEL = "MODEL"
    LANGUAGE = "LANGUAGE"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)")))
        self.addParameter(QgsProcessingParameterFile(self.MODEL, self.tr("Model file (default: the store's model)"),
                                                     extension="tqm", optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.LANGUAGE, self.tr("Languages"),
                                                     [self.tr("French and English"), self.tr("French"), self.tr("English")],
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Output folder")))
        self.addOutput(QgsProcessingOutputString("NOTICE_PDF", self.tr("Notice (PDF, first language)")))
        self.addOutput(QgsProcessingOutputString("RECORD_PDF", self.tr("Record of processing (PDF, first language)")))
        self.addOutput(QgsProcessingOutputNumber("N_FILES", self.tr("Files written")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.report.notice import write_documents
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.disclosure import gather, to_json

        target = self.parameterAsString(parameters, self.STORE, context)
        choice = self.parameterAsEnum(parameters, self.LANGUAGE, context)
        langs = (("fr", "en"), ("fr",), ("en",))[choice]
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        try:
            model = _model(self.parameterAsFile(parameters, self.MODEL, context))
            with _open(target) as obs:
                feedback.setProgressText(self.tr("Reading the store's figures"))
                figures = gather(obs, model)
                feedback.setProgress(40)
                paths = write_documents(figures, folder, langs)
                with open(os.path.join(folder, "figures.json"), "w", encoding="utf-8") as fh:
                    fh.write(to_json(figures))
                if figures["model"] is None:
                    feedback.pushWarning(self.tr("No model in the store and none given: the notice gives no parameters"))
                drifted = (figures["fairness"].get("latest") or {}).get("drifted") or []
                if drifted:
                    feedback.pushWarning(self.tr("Fairness drift at the latest control in: {}").format(", ".join(drifted)))
                self.audit(parameters, context, feedback, fingerprint=(figures["model"] or {}).get("fingerprint"),
                           summary={"files": sorted(paths), "languages": list(langs), "drifted": drifted}, store=target)
        except (StoreError, ValueError, OSError) as err:
            raise QgsProcessingException(str(err)) from None
        for name in sorted(paths):
            feedback.pushInfo(self.tr("Written: {}").format(paths[name]))
        first = langs[0]
        return {self.OUTPUT_FOLDER: folder, "NOTICE_PDF": paths[f"notice_{first}.pdf"],
                "RECORD_PDF": paths[f"record_{first}.pdf"], "N_FILES": len(paths)}


class FairnessControlAlgorithm(TranquilliteAlgorithm):
    NAME = "fairnesscontrol"
    DISPLAY = "Fairness control (drift between models)"
    GROUP = "accountability"
    GROUP_DISPLAY = "Accountability"
    HELP = (
        "The regular control: the fairness audit of the model (per sector: the share of the score that "
        "police-initiated facts make, the mean log1p score, the mean log1p residual of its most recent events "
        "transferred from the events before them, the flag) is compared with the last one the store "
        "keeps. A sector drifts when its police-initiated share moves by more than SHARE_DELTA, its mean log1p "
        "residual by more than RESIDUAL_DELTA (when both predicted MIN_PREDICTED of its events), or when it "
        "becomes flagged; only sectors with at least MIN_EVENTS events in both are compared. "
        "The snapshot and its comparison are kept in the store (the Audit tab "
        "charts them, the event sheet and the notice warn of a drift). Training a model in the plugin runs it "
        "too. MODEL: a model file; default: the store's model."
    )
    STORE = "STORE"
    MODEL = "MODEL"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)")))
        self.addParameter(QgsProcessingParameterFile(self.MODEL, self.tr("Model file (default: the store's model)"),
                                                     extension="tqm", optional=True))
        self.addParameter(QgsProcessingParameterNumber("SHARE_DELTA", self.tr("Drift: police share moved by more than"),
                                                       QgsProcessingParameterNumber.Double, 0.15, minValue=0.001, maxValue=1))
        self.addParameter(QgsProcessingParameterNumber("RESIDUAL_DELTA", self.tr("Drift: mean log1p residual moved by more than"),
                                                       QgsProcessingParameterNumber.Double, 0.5, minValue=0.001))
        self.addParameter(QgsProcessingParameterNumber("MIN_EVENTS", self.tr("Sectors compared from this many events"),
                                                       QgsProcessingParameterNumber.Integer, 5, minValue=1))
        self.addParameter(QgsProcessingParameterNumber("MIN_PREDICTED", self.tr("Residuals compared from this many predicted events"),
                                                       QgsProcessingParameterNumber.Integer, 10, minValue=1))
        self.addOutput(QgsProcessingOutputString("DRIFTED", self.tr("Sectors that drifted (comma-separated)")))
        self.addOutput(QgsProcessingOutputNumber("N_DRIFTED", self.tr("Sectors that drifted")))
        self.addOutput(QgsProcessingOutputNumber("N_CONTROLS", self.tr("Controls kept in the store")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.core.fairness_control import ControlRule
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.transparency import fairness_history, run_fairness_control

        target = self.parameterAsString(parameters, self.STORE, context)
        try:
            rule = ControlRule(self.parameterAsDouble(parameters, "SHARE_DELTA", context),
                               self.parameterAsDouble(parameters, "RESIDUAL_DELTA", context),
                               self.parameterAsInt(parameters, "MIN_EVENTS", context),
                               self.parameterAsInt(parameters, "MIN_PREDICTED", context))
            model = _model(self.parameterAsFile(parameters, self.MODEL, context))
            with _open(target) as obs:
                model = model if model is not None else obs.load_model()
                result = run_fairness_control(obs, model, rule)
                n = len(fairness_history(obs))
        except (StoreError, ValueError, OSError) as err:
            raise QgsProcessingException(str(err)) from None
        feedback.pushInfo(result.summary())
        if result.drifted:
            feedback.pushWarning(self.tr("Fairness drift in: {}").format(", ".join(result.drifted)))
        return {"DRIFTED": ",".join(result.drifted), "N_DRIFTED": len(result.drifted), "N_CONTROLS": n}


class ApplyRetentionAlgorithm(TranquilliteAlgorithm):
    NAME = "applyretention"
    DISPLAY = "Apply retention"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = (
        "Minimisation: facts (and past events, when a retention is set for them) older than their layer kind's "
        "retention are turned into counts per sector × month × category (the fact's category, the event's nature) "
        "and their detail is deleted, in one transaction with its audit row. Trends over the retained period and "
        "the stored event scores (hence backtests) keep working. FACTS_MONTHS and EVENTS_MONTHS (0: keep "
        "everything) are saved as the store's retention setting, which the record of processing declares; left "
        "empty, the store's setting applies (default: facts 60 months, events kept)."
    )
    STORE = "STORE"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)")))
        self.addParameter(QgsProcessingParameterNumber("FACTS_MONTHS", self.tr("Facts: months of detail kept (0: all)"),
                                                       QgsProcessingParameterNumber.Integer, optional=True, minValue=0))
        self.addParameter(QgsProcessingParameterNumber("EVENTS_MONTHS", self.tr("Past events: months of detail kept (0: all)"),
                                                       QgsProcessingParameterNumber.Integer, optional=True, minValue=0))
        self.addOutput(QgsProcessingOutputNumber("AGGREGATED", self.tr("Records turned into counts")))
        self.addOutput(QgsProcessingOutputNumber("CELLS", self.tr("Count cells kept")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.transparency import RETENTION_KEY, apply_retention, retention_counts, retention_settings

        target = self.parameterAsString(parameters, self.STORE, context)
        try:
            with _open(target) as obs:
                settings = retention_settings(obs)
                for kind, key in (("facts", "FACTS_MONTHS"), ("events", "EVENTS_MONTHS")):
                    if parameters.get(key) not in (None, ""):
                        months = self.parameterAsInt(parameters, key, context)
                        settings[kind] = months or None
                obs.set_setting(RETENTION_KEY, settings)
                work = apply_retention(obs, settings=settings)
                cells = len(retention_counts(obs))
        except (StoreError, ValueError) as err:
            raise QgsProcessingException(str(err)) from None
        for kind, w in work.items():
            feedback.pushInfo(self.tr("{}: {} records before {} turned into {} count cells; {} kept in detail").format(
                kind, w["aggregated"], w["cut"][:10], w["cells"], w["kept"]))
        return {"AGGREGATED": sum(w["aggregated"] for w in work.values()), "CELLS": cells}
