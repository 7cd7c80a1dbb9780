"""Data tab: open layers from any source QGIS reads, map them onto the contract, import, train."""

from __future__ import annotations

import os
from typing import Dict

from qgis.core import QgsMapLayerProxyModel, QgsProviderRegistry
from qgis.gui import QgsGui, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate, Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tranquillite_plugin.gui.access import store_access
from tranquillite_plugin.gui.controller import DATA_KINDS, Controller
from tranquillite_plugin.gui.mapping_dialog import FieldMappingDialog, missing_required
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.vocabulary import kind_labels

LAYER_FILTERS = {
    "facts": QgsMapLayerProxyModel.PointLayer,
    "events": QgsMapLayerProxyModel.VectorLayer,
    "sectors": QgsMapLayerProxyModel.PolygonLayer,
    "axes": QgsMapLayerProxyModel.LineLayer,
    "cameras": QgsMapLayerProxyModel.PointLayer,
}
#: providers offered under "From a database or web service" (QGIS's own source selectors)
SOURCE_PROVIDERS = ("postgres", "GeoPackage", "spatialite", "mssql", "oracle", "hana", "delimitedtext", "WFS", "arcgisfeatureserver", "virtual")

OK_STYLE = "color: #1b7f3b;"
BAD_STYLE = "color: #b00020;"
MUTED_STYLE = "color: #666666;"


class DataPanel(QWidget):
    def __init__(self, controller: Controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("TranquilliteDataPanel")
        layout = QVBoxLayout(self)

        # --- sources --------------------------------------------------------------------
        sources = QGroupBox(tr("Sources"))
        row = QGridLayout(sources)
        self.open_observatory_button = QPushButton(tr("Open observatory…"))
        self.open_observatory_button.setToolTip(tr("Open an observatory GeoPackage: every layer is loaded, styled and mapped"))
        self.open_observatory_button.clicked.connect(self.choose_observatory)
        row.addWidget(self.open_observatory_button, 0, 0)
        self.add_button = QToolButton()
        self.add_button.setText(tr("Add layers"))
        self.add_button.setToolTip(tr("Add layers from a file, a database or a web service"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self.add_button)
        menu.addAction(tr("From files…"), self.choose_files)
        db_menu = menu.addMenu(tr("From a database or web service"))
        registry = QgsGui.sourceSelectProviderRegistry()
        for key in SOURCE_PROVIDERS:
            for provider in registry.providersByKey(key):
                db_menu.addAction(provider.icon(), provider.text(), lambda p=provider: self.open_source_select(p))
        self.add_button.setMenu(menu)
        self.add_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row.addWidget(self.add_button, 0, 1)
        self.demo_button = QPushButton(tr("Demo city"))
        self.demo_button.setToolTip(tr("Build the demo observatory (a Marseille-like city) and open it"))
        self.demo_button.clicked.connect(self.open_demo)
        row.addWidget(self.demo_button, 1, 0)
        self.settings_button = QPushButton(tr("Settings…"))
        self.settings_button.setObjectName("settings_button")
        self.settings_button.setToolTip(tr("Score radius and time window, category weights, model and working CRS"))
        self.settings_button.clicked.connect(lambda _=False: self.controller.show_settings())
        row.addWidget(self.settings_button, 1, 1)
        layout.addWidget(sources)

        # --- store ----------------------------------------------------------------------
        store_box = QGroupBox(tr("Observatory store"))
        slayout = QVBoxLayout(store_box)
        self.store_label = QLabel()
        self.store_label.setObjectName("store_label")
        self.store_label.setWordWrap(True)
        slayout.addWidget(self.store_label)
        self.access = store_access(None)
        self.access_label = QLabel()  # what this login may do on the store, in words
        self.access_label.setWordWrap(True)
        slayout.addWidget(self.access_label)
        srow = QHBoxLayout()
        self.new_store_button = QPushButton(tr("New…"))
        self.new_store_button.setToolTip(tr("Create an observatory store in a new GeoPackage"))
        self.new_store_button.clicked.connect(self.choose_new_store)
        self.open_store_button = QPushButton(tr("Open…"))
        self.open_store_button.setToolTip(tr("Open the observatory store of a GeoPackage"))
        self.open_store_button.clicked.connect(self.choose_store)
        self.pg_store_button = QPushButton(tr("PostgreSQL…"))
        self.pg_store_button.setToolTip(tr("Open (or create) the shared store of a supervision centre in PostgreSQL/PostGIS"))
        self.pg_store_button.clicked.connect(self.choose_pg_store)
        for b in (self.new_store_button, self.open_store_button, self.pg_store_button):
            srow.addWidget(b)
        srow.addStretch(1)
        slayout.addLayout(srow)
        layout.addWidget(store_box)

        # --- layers ---------------------------------------------------------------------
        box = QGroupBox(tr("Layers of the observatory"))
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        self.combos: Dict[str, QgsMapLayerComboBox] = {}
        self.status: Dict[str, QLabel] = {}
        self.map_buttons: Dict[str, QPushButton] = {}
        labels = kind_labels()
        for i, kind in enumerate(DATA_KINDS):
            grid.addWidget(QLabel(labels[kind]), 2 * i, 0)
            combo = QgsMapLayerComboBox()
            combo.setObjectName(f"layer_{kind}")
            combo.setFilters(LAYER_FILTERS[kind])
            combo.setAllowEmptyLayer(True)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.setLayer(None)
            combo.layerChanged.connect(lambda layer, k=kind: self.controller.set_layer(k, layer))
            grid.addWidget(combo, 2 * i, 1)
            button = QPushButton(tr("Fields…"))
            button.setToolTip(tr("Map the layer's fields onto the contract"))
            button.clicked.connect(lambda _=False, k=kind: self.map_fields(k))
            grid.addWidget(button, 2 * i, 2)
            status = QLabel()
            status.setWordWrap(True)
            status.setObjectName(f"status_{kind}")
            grid.addWidget(status, 2 * i + 1, 1, 1, 2)
            self.combos[kind] = combo
            self.status[kind] = status
            self.map_buttons[kind] = button
        buttons = QHBoxLayout()
        self.import_button = QPushButton(tr("Check and import"))
        self.import_button.setToolTip(
            tr("Check every chosen layer against the data contract and import it: the report says how many features were taken, repaired or refused, and why")
        )
        self.import_button.clicked.connect(self.import_all)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2 * len(DATA_KINDS), 0, 1, 3)
        layout.addWidget(box)

        # --- model ----------------------------------------------------------------------
        model_box = QGroupBox(tr("Similarity model"))
        mlayout = QVBoxLayout(model_box)
        self.model_status = QLabel()
        self.model_status.setWordWrap(True)
        self.model_status.setObjectName("model_status")
        mlayout.addWidget(self.model_status)
        mrow = QHBoxLayout()
        self.train_button = QPushButton(tr("Score and train"))
        self.train_button.setToolTip(tr("Score the past events with their facts, then train the random forest on them"))
        self.train_button.clicked.connect(self.controller.train)
        mrow.addWidget(self.train_button)
        self.load_model_button = QPushButton(tr("Load…"))
        self.load_model_button.clicked.connect(self.choose_model_to_load)
        mrow.addWidget(self.load_model_button)
        self.save_model_button = QPushButton(tr("Save…"))
        self.save_model_button.clicked.connect(self.choose_model_to_save)
        mrow.addWidget(self.save_model_button)
        mrow.addStretch(1)
        mlayout.addLayout(mrow)
        brow = QHBoxLayout()
        brow.addWidget(QLabel(tr("Backtest from")))
        self.cut_date = QDateEdit()
        self.cut_date.setCalendarPopup(True)
        self.cut_date.setDisplayFormat("dd/MM/yyyy")
        self.cut_date.setDate(QDate.currentDate().addYears(-1))
        brow.addWidget(self.cut_date)
        brow.addStretch(1)
        mlayout.addLayout(brow)
        self.backtest_button = QPushButton(tr("Run backtest"))
        self.backtest_button.setToolTip(tr("Train before the date, predict the events after it, compare with the baselines"))
        self.backtest_button.clicked.connect(self.run_backtest)
        b2 = QHBoxLayout()
        b2.addWidget(self.backtest_button)
        b2.addStretch(1)
        mlayout.addLayout(b2)
        layout.addWidget(model_box)

        # --- report ---------------------------------------------------------------------
        layout.addWidget(QLabel(tr("Report")))
        self.report = QPlainTextEdit()
        self.report.setObjectName("import_report")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(
            tr("Open the observatory or add layers, choose which layer is which, then check and import them. The report of each import appears here.")
        )
        self.report.setMinimumHeight(90)
        layout.addWidget(self.report, 1)
        self.drop_button = QPushButton()
        self.drop_button.setObjectName("drop_button")
        self.drop_button.setVisible(False)
        self.drop_button.clicked.connect(self.drop_personal_fields)
        self.pending_drop = None  # (kind, fields) refused as personal data
        layout.addWidget(self.drop_button)

        controller.layersChanged.connect(self.refresh)
        controller.importDone.connect(self.show_import)
        controller.modelReady.connect(self.show_model)
        controller.backtestDone.connect(self.show_backtest)
        controller.storeChanged.connect(self.show_store)
        controller.plannedSaved.connect(lambda _id: self.show_store())
        controller.busy.connect(lambda _t: self._enable(False))
        controller.idle.connect(lambda: self._enable(True))
        self.refresh()
        self.show_model(None)
        self.show_store()

    # --- state ---------------------------------------------------------------------------------

    def _enable(self, enabled: bool) -> None:
        for w in (self.import_button, self.train_button, self.backtest_button, self.demo_button, self.load_model_button):
            w.setEnabled(enabled)
        self.import_button.setEnabled(enabled and self.access.may("import"))  # the login's role (gui/access.py)

    def refresh(self) -> None:
        for kind in DATA_KINDS:
            layer = self.controller.layer(kind)
            combo = self.combos[kind]
            if combo.currentLayer() is not layer:
                combo.blockSignals(True)
                combo.setLayer(layer)
                combo.blockSignals(False)
            self.map_buttons[kind].setEnabled(layer is not None)
            self._show_status(kind)

    def _show_status(self, kind: str) -> None:
        label = self.status[kind]
        layer = self.controller.layer(kind)
        report = self.controller.import_reports.get(kind)
        if layer is None:
            label.setText(tr("required for the model") if kind in ("facts", "events") else tr("optional"))
            label.setStyleSheet(MUTED_STYLE)
            return
        missing = missing_required(kind, self.controller.field_map(kind))
        if missing:
            label.setText(tr("fields to map: {}").format(", ".join(missing)))
            label.setStyleSheet(BAD_STYLE)
        elif report is not None:
            label.setText(
                tr("{taken} taken, {repaired} repaired, {refused} refused").format(
                    taken=report.taken, repaired=report.repaired, refused=report.refused
                )
            )
            label.setStyleSheet(BAD_STYLE if report.refused else OK_STYLE)
        else:
            n, whole = self.controller.feature_count(kind)
            if whole:
                label.setText(tr("{} features in the whole table (points, itineraries and areas), fields matched").format(n))
            else:
                label.setText(tr("{} features, fields matched").format(n))
            label.setStyleSheet(OK_STYLE)

    # --- sources -------------------------------------------------------------------------------

    def choose_observatory(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open an observatory"), "", tr("GeoPackage (*.gpkg)"))
        if path:
            self.controller.open_observatory(path)

    def choose_files(self) -> None:
        filters = QgsProviderRegistry.instance().fileVectorFilters()
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Add layers"), "", filters)
        for path in paths:
            self.controller.add_file(path)

    def open_source_select(self, provider) -> None:
        """QGIS's own source selector of a provider (PostGIS, WFS, CSV, ...) in a dialog."""
        dialog = QDialog(self)
        dialog.setWindowTitle(provider.text())
        widget = provider.createDataSourceWidget(dialog)
        if widget is None:
            return
        box = QVBoxLayout(dialog)
        box.addWidget(widget)

        def add_vector(uri, name, key="ogr"):
            self.controller.add_layer(uri, name, key)

        widget.addVectorLayer.connect(add_vector)
        if hasattr(widget, "addDatabaseLayers"):
            widget.addDatabaseLayers.connect(lambda uris, key: [self.controller.add_layer(u, os.path.basename(u), key) for u in uris])
        if hasattr(widget, "addVectorLayers"):
            widget.addVectorLayers.connect(lambda uris, _enc, _t: [self.controller.add_file(u) for u in uris])
        widget.rejected.connect(dialog.reject)
        widget.accepted.connect(dialog.accept)
        dialog.resize(900, 560)
        dialog.exec()

    def open_demo(self) -> None:
        self.controller.open_demo_city()

    def map_fields(self, kind: str) -> bool:
        layer = self.controller.layer(kind)
        if layer is None:
            return False
        dialog = FieldMappingDialog(kind, layer.name(), [f.name() for f in layer.fields()], self.controller.field_map(kind), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.controller.set_layer(kind, layer, dialog.field_map())
        return True

    # --- actions -------------------------------------------------------------------------------

    def import_all(self) -> None:
        kinds = [k for k in DATA_KINDS if self.controller.layer(k) is not None]
        if not kinds:
            self.report.setPlainText(tr("No layer chosen yet: open the observatory or add layers first."))
            return
        self.report.clear()
        for kind in kinds:
            missing = missing_required(kind, self.controller.field_map(kind))
            if missing:
                self.report.appendPlainText(
                    tr("{}: map the fields {} first (button “Fields…”).").format(kind_labels()[kind], ", ".join(missing))
                )
                continue
            self.controller.import_layer(kind)

    def show_store(self) -> None:
        store = self.controller.store
        self.access = store_access(store)
        self.access_label.setText(self.access.text)
        self.access_label.setVisible(bool(self.access.text))
        self.import_button.setEnabled(self.access.may("import"))
        if store is None:
            self.store_label.setText(
                tr("No store open: “Check” checks the layers against the contract without storing them. Create or open a store to import them into it.")
            )
            self.store_label.setStyleSheet(MUTED_STYLE)
            self.import_button.setText(tr("Check"))
            return
        counts = store.counts()
        phrases = {
            "facts": tr("{} facts"),
            "events": tr("{} past events"),
            "planned": tr("{} planned events"),
            "sectors": tr("{} sectors"),
            "axes": tr("{} traffic axes"),
            "cameras": tr("{} cameras"),
        }
        parts = [phrase.format(f"{counts.get(k, 0):,}".replace(",", "\u202f")) for k, phrase in phrases.items()]
        backend = tr("GeoPackage") if store.backend_name == "gpkg" else tr("PostgreSQL/PostGIS")
        self.store_label.setText(tr("{target} ({backend}): {counts}").format(target=store.target, backend=backend, counts=", ".join(parts)))
        self.store_label.setStyleSheet(OK_STYLE)
        self.import_button.setText(tr("Check and import"))

    def choose_new_store(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("New observatory store"), "observatoire.gpkg", tr("GeoPackage (*.gpkg)"))
        if path:
            if not path.lower().endswith(".gpkg"):
                path += ".gpkg"
            self.controller.open_store(path, create=True)

    def choose_store(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open an observatory store"), "", tr("GeoPackage (*.gpkg)"))
        if path:
            self.controller.open_store(path)

    def choose_pg_store(self) -> None:
        from qgis.PyQt.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(
            self,
            tr("PostgreSQL store"),
            tr("Connection (postgresql://user@host/db?schema=tranquillite, or service=name):"),
            text=self.controller.store_target if self.controller.store is not None and self.controller.store.backend_name == "postgis" else "",
        )
        if not ok or not text.strip():
            return
        from tranquillite_plugin.store.observatory import Observatory

        target = text.strip()
        self.controller.open_store(target, create=not Observatory.is_store(target))

    def drop_personal_fields(self) -> None:
        if self.pending_drop is None:
            return
        kind, fields = self.pending_drop
        self.controller.drop_fields[kind] = sorted(set(self.controller.drop_fields.get(kind, [])) | set(fields))
        self.pending_drop = None
        self.drop_button.setVisible(False)
        self.controller.import_layer(kind)

    def show_import(self, result) -> None:
        if result.personal_fields:
            self.report.appendPlainText(
                tr("{kind} — “{layer}”: refused, personal data in {fields}.\n  {why}").format(
                    kind=kind_labels().get(result.kind, result.kind),
                    layer=result.layer_name,
                    fields=", ".join(result.personal_fields),
                    why=result.personal_message,
                )
            )
            self.pending_drop = (result.kind, list(result.personal_fields))
            self.drop_button.setText(tr("Drop {} and import again").format(", ".join(result.personal_fields)))
            self.drop_button.setVisible(True)
            self.status[result.kind].setText(tr("personal data: {}").format(", ".join(result.personal_fields)))
            self.status[result.kind].setStyleSheet(BAD_STYLE)
            return
        report = result.report
        head = tr("{kind} — “{layer}”: {read} read, {taken} taken, {repaired} repaired, {refused} refused").format(
            kind=kind_labels().get(result.kind, result.kind),
            layer=result.layer_name,
            read=report.read,
            taken=report.taken,
            repaired=report.repaired,
            refused=report.refused,
        )
        lines = [head]
        if report.dropped_fields:
            lines.append("  " + tr("fields dropped: {}").format(", ".join(report.dropped_fields)))
        lines += ["  " + line for line in report.lines(limit=15)]
        if result.stored:
            lines.append("  " + (result.store_message or tr("written to the observatory store")))
        self.report.appendPlainText("\n".join(lines))
        self._show_status(result.kind)
        if result.stored:
            self.show_store()

    def show_model(self, trained) -> None:
        if trained is None:
            self.model_status.setText(
                tr("No model yet: it is trained on the facts and past events when you first estimate a score, or with “Score and train”.")
            )
            self.model_status.setStyleSheet(MUTED_STYLE)
            self.save_model_button.setEnabled(False)
            return
        model = trained.model
        first, last = model.training_period
        self.model_status.setText(
            tr("Trained on {n} past events ({first} – {last}), {trees} trees; fingerprint {fp}").format(
                n=model.n_events,
                first=first.strftime("%d/%m/%Y"),
                last=last.strftime("%d/%m/%Y"),
                trees=model.n_trees,
                fp=model.fingerprint[:12],
            )
        )
        self.model_status.setStyleSheet(OK_STYLE)
        self.save_model_button.setEnabled(True)
        if trained.scored is not None:
            scores = trained.scored.result.score
            self.report.appendPlainText(
                tr("Scored {n} past events with {f} facts: mean score {mean:.1f}, highest {top:.1f}").format(
                    n=len(scores), f=len(trained.scored.facts), mean=float(scores.mean()), top=float(scores.max())
                )
            )

    def choose_model_to_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Load a model"), "", tr("Tranquillité model (*.tqmodel *.zip);;All files (*)"))
        if path:
            self.controller.load_model(path)

    def choose_model_to_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the model"), "model.tqmodel", tr("Tranquillité model (*.tqmodel)"))
        if path:
            self.controller.save_model(path)

    def run_backtest(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Folder of the backtest report"))
        if not folder:
            return
        cut = self.cut_date.date().toString("yyyy-MM-dd")
        if self.controller.trained is None or self.controller.trained.scored is None:
            self.report.appendPlainText(tr("Score and train the model first: the backtest uses the scored past events."))
            return
        self.controller.backtest(cut, folder)

    def show_backtest(self, result, path: str) -> None:
        m = result.metrics.set_index("method")
        lines = [tr("Backtest: trained on {} events, tested on {}").format(result.n_train, result.n_test)]
        for method, row in m.iterrows():
            lines.append(
                "  " + tr("{method}: Spearman {sp:.2f}, MAE log1p {mae:.2f}, top-decile hit {hit:.0%}").format(
                    method=method, sp=row["spearman"], mae=row["mae_log1p"], hit=row["top_decile_hit"]
                )
            )
        if path:
            lines.append("  " + tr("report: {}").format(path))
        self.report.appendPlainText("\n".join(lines))
