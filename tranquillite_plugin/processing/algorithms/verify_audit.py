"""tranquillite:verifyaudit — is the store's audit trail intact?"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterString,
)

from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm


class VerifyAuditAlgorithm(TranquilliteAlgorithm):
    NAME = "verifyaudit"
    DISPLAY = "Verify audit trail"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = (
        "Checks the audit trail of an observatory store. Every import, scoring, training, prediction, backtest "
        "and export appends a row (when, which OS user, which algorithm, parameters, input layers and their "
        "number of features, model fingerprint); each row holds the hash of its content and of the row before "
        "it, so an edited, deleted or reordered row breaks the chain.\n\n"
        "This workstation also keeps the number of rows and the head it last verified, outside the store: a trail "
        "cut, wiped or re-chained since is broken. A GeoPackage's rows are signed with this workstation's key and "
        "carry a digest of the data, so a rehashed or forged row, or data changed outside the application, is "
        "found too.\n\n"
        "A broken trail fails the algorithm (an error naming the first bad row and why). Outputs of an intact "
        "trail: OK, the number of rows and the head hash."
    )

    STORE = "STORE"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString(self.STORE, self.tr("Store (.gpkg path or PostgreSQL connection)")))
        self.addOutput(QgsProcessingOutputBoolean("OK", self.tr("Audit trail intact")))
        self.addOutput(QgsProcessingOutputNumber("N_ROWS", self.tr("Rows")))
        self.addOutput(QgsProcessingOutputNumber("FIRST_BAD", self.tr("First bad row")))
        self.addOutput(QgsProcessingOutputString("REASON", self.tr("Why")))
        self.addOutput(QgsProcessingOutputString("HEAD", self.tr("Head hash")))
        self.addOutput(QgsProcessingOutputString("MESSAGE", self.tr("Result")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.observatory import Observatory

        target = self.parameterAsString(parameters, self.STORE, context).strip()
        try:
            with Observatory.open(target, upgrade=False) as obs:
                self.warn_transport(obs, feedback)
                check = obs.verify_audit()
        except (StoreError, ValueError) as err:
            raise QgsProcessingException(str(err)) from None
        if not check.ok:
            where = str(check.first_bad) if check.first_bad is not None else self.tr("the end")
            raise QgsProcessingException(self.tr("Audit trail BROKEN at row {}: {}").format(where, check.reason))
        feedback.pushInfo(self.tr("Audit trail intact: {} rows, head {}").format(check.n_rows, check.head))
        return {
            "OK": check.ok,
            "N_ROWS": check.n_rows,
            "FIRST_BAD": check.first_bad,
            "REASON": check.reason,
            "HEAD": check.head,
            "MESSAGE": check.message(),
        }
