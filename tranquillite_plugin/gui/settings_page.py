"""The plugin's page of QGIS's Options dialog: score, category weights, model, working CRS.

:class:`SettingsWidget` is the form; :class:`SettingsPage` puts it in the
Options dialog (Settings ▸ Options… ▸ Tranquillité publique) through
:class:`SettingsPageFactory`, which the plugin registers in ``initGui`` and
unregisters in ``unload``.  Without a registered page (the docks alone),
:func:`show_settings` opens the same form in a dialog of its own.

The values go to ``tranquillite_plugin.settings`` (QgsSettings, section
"tranquillite"), which is where the docks read them when they score, train
and estimate.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional

from qgis.core import QgsApplication, QgsCoordinateReferenceSystem
from qgis.gui import QgsDoubleSpinBox, QgsOptionsPageWidget, QgsOptionsWidgetFactory, QgsProjectionSelectionWidget, QgsSpinBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFont, QIcon
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tranquillite_plugin import settings
from tranquillite_plugin.core.contract import CATEGORIES
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.logger import warning
from tranquillite_plugin.vocabulary import category_labels

#: object name of the page: ``iface.showOptionsDialog(parent, currentPage=PAGE_NAME)`` opens it
PAGE_NAME = "TranquilliteOptionsPage"
HELP_STYLE = "color: #555555;"
BAD_STYLE = "color: #b00020;"
#: the page's number fields: key -> (decimals, step); None = whole numbers
NUMBER_FIELDS = {
    "radius_m": (1, 10.0),
    "before_h": (2, 0.5),
    "after_h": (2, 0.5),
    "line_buffer_m": (1, 5.0),
    "point_buffer_m": (1, 10.0),
    "k": (None, 1),
    "n_trees": (None, 50),
    "min_leaf": (None, 1),
}
WEIGHT_DECIMALS = 2

_factory: Optional["SettingsPageFactory"] = None  # the page registered with QGIS, if any


def plugin_icon() -> QIcon:
    return QIcon(os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons", "tranquillite.svg"))


def options_icon() -> QIcon:
    icon = QgsApplication.getThemeIcon("/mActionOptions.svg")
    return plugin_icon() if icon.isNull() else icon


def _help(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HELP_STYLE)
    return label


class SettingsWidget(QWidget):
    """The form: reads the settings on creation, writes them on :meth:`apply`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("TranquilliteSettings")
        labels = self.field_labels()
        units = self.units()
        helps = self.help_texts()
        layout = QVBoxLayout(self)
        layout.addWidget(
            _help(
                tr(
                    "These settings apply to the Tranquillité publique panel: its scores, its model and its estimates, "
                    "from the next run on. A model trained with other settings is trained again at the next estimate. "
                    "The Processing algorithms keep their own parameters."
                )
            )
        )
        self.spins: Dict[str, QWidget] = {}

        # --- the score ------------------------------------------------------------------------
        score_box = QGroupBox(tr("Event score"))
        form = QGridLayout(score_box)
        form.setColumnStretch(0, 1)
        for key in ("radius_m", "before_h", "after_h", "line_buffer_m", "point_buffer_m"):
            self._add_number(form, key, labels[key], units[key], helps[key])
        layout.addWidget(score_box)

        # --- the weights ----------------------------------------------------------------------
        weights_box = QGroupBox(tr("Category weights"))
        wlayout = QVBoxLayout(weights_box)
        wlayout.addWidget(_help(helps["weights"]))
        self.weights_table = QTableWidget(len(CATEGORIES), 2)
        self.weights_table.setObjectName("weights_table")
        self.weights_table.setHorizontalHeaderLabels([tr("Category"), tr("Weight")])
        self.weights_table.verticalHeader().setVisible(False)
        self.weights_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.weights_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.weights_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.weights_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.weight_spins: Dict[str, QDoubleSpinBox] = {}
        names = category_labels()
        defaults = settings.default_weights()
        for row, category in enumerate(CATEGORIES):
            item = QTableWidgetItem(names[category])
            item.setToolTip(tr("Code “{}”, default weight {}").format(category, defaults[category]))
            item.setData(Qt.ItemDataRole.UserRole, category)
            self.weights_table.setItem(row, 0, item)
            spin = QDoubleSpinBox()
            spin.setObjectName(f"weight_{category}")
            spin.setRange(*settings.WEIGHT_LIMITS)
            spin.setDecimals(WEIGHT_DECIMALS)
            spin.setSingleStep(0.5)
            spin.setFrame(False)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin.valueChanged.connect(lambda _v, c=category: self._mark_weight(c))
            self.weights_table.setCellWidget(row, 1, spin)
            self.weight_spins[category] = spin
        self.weights_table.resizeRowsToContents()
        self._fit_table()
        wlayout.addWidget(self.weights_table)
        wrow = QHBoxLayout()
        wrow.addStretch(1)
        self.restore_weights_button = QPushButton(tr("Restore default weights"))
        self.restore_weights_button.setObjectName("restore_weights_button")
        self.restore_weights_button.setToolTip(tr("Put back the weights of the specification (saved when you apply)"))
        self.restore_weights_button.clicked.connect(self.restore_default_weights)
        wrow.addWidget(self.restore_weights_button)
        wlayout.addLayout(wrow)
        layout.addWidget(weights_box)

        # --- the model --------------------------------------------------------------------------
        model_box = QGroupBox(tr("Similarity model"))
        mform = QGridLayout(model_box)
        mform.setColumnStretch(0, 1)
        for key in ("k", "n_trees", "min_leaf"):
            self._add_number(mform, key, labels[key], units[key], helps[key])
        layout.addWidget(model_box)
        layout.addWidget(self._switches_box())

        # --- the working CRS ----------------------------------------------------------------------
        crs_box = QGroupBox(tr("Working CRS"))
        clayout = QVBoxLayout(crs_box)
        self.crs_widget = QgsProjectionSelectionWidget()
        self.crs_widget.setObjectName("working_crs")
        self.crs_widget.setOptionVisible(QgsProjectionSelectionWidget.CrsNotSet, False)
        self.crs_widget.crsChanged.connect(self._check_crs)
        clayout.addWidget(self.crs_widget)
        self.crs_problem = QLabel()
        self.crs_problem.setObjectName("crs_problem")
        self.crs_problem.setWordWrap(True)
        self.crs_problem.setStyleSheet(BAD_STYLE)
        self.crs_problem.setVisible(False)
        clayout.addWidget(self.crs_problem)
        clayout.addWidget(_help(helps["working_crs"]))
        layout.addWidget(crs_box)

        # --- all defaults, messages -------------------------------------------------------------------
        brow = QHBoxLayout()
        self.restore_all_button = QPushButton(tr("Restore all defaults"))
        self.restore_all_button.setObjectName("restore_all_button")
        self.restore_all_button.setToolTip(tr("Put back every default value on this page (saved when you apply)"))
        self.restore_all_button.clicked.connect(self.restore_defaults)
        brow.addWidget(self.restore_all_button)
        brow.addStretch(1)
        layout.addLayout(brow)
        self.message = QLabel()
        self.message.setObjectName("settings_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.load()

    # --- words ----------------------------------------------------------------------------------

    @staticmethod
    def field_labels() -> Dict[str, str]:
        return {
            "radius_m": tr("Radius R"),
            "before_h": tr("Hours before the start"),
            "after_h": tr("Hours after the end"),
            "line_buffer_m": tr("Itinerary half-width"),
            "point_buffer_m": tr("Point radius"),
            "k": tr("Similar events (k)"),
            "n_trees": tr("Number of trees"),
            "min_leaf": tr("Minimum events per leaf"),
        }

    @staticmethod
    def units() -> Dict[str, str]:
        metres, hours = tr(" m"), tr(" h")
        return {
            "radius_m": metres,
            "before_h": hours,
            "after_h": hours,
            "line_buffer_m": metres,
            "point_buffer_m": metres,
            "k": tr(" events"),
            "n_trees": tr(" trees"),
            "min_leaf": tr(" events"),
        }

    @staticmethod
    def help_texts() -> Dict[str, str]:
        return {
            "radius_m": tr("Facts count for an event when they lie at most this far from its footprint and happened within its time window."),
            "before_h": tr("The time window opens this long before the event's start."),
            "after_h": tr("The time window closes this long after the event's end (both bounds included)."),
            "line_buffer_m": tr("An itinerary's footprint is its line widened by this distance on each side."),
            "point_buffer_m": tr("A point event's footprint is the disc of this radius around it."),
            "weights": tr("Each fact adds its category's weight, times its count, to the score of every event it counts for. Other category codes weigh 1."),
            "k": tr("The estimate of a planned event is the proximity-weighted mean score of this many most similar past events."),
            "n_trees": tr("More trees give steadier similarities; training and estimating take longer."),
            "min_leaf": tr("The fewest past events a leaf of a tree may hold: more gives broader, smoother similarities."),
            "working_crs": tr(
                "Every distance above is in metres in this CRS, and the layers are reprojected into it when they are read. "
                "An observatory store keeps the CRS it was created with."
            ),
        }

    # --- building -------------------------------------------------------------------------------

    def _add_number(self, grid: QGridLayout, key: str, label: str, unit: str, help_text: str) -> None:
        """A row: the name and the spin box, then the explanation across the whole width."""
        decimals, step = NUMBER_FIELDS[key]
        low, high = settings.LIMITS[key]
        if decimals is None:
            spin = QgsSpinBox()
            spin.setRange(int(low), int(high))
        else:
            spin = QgsDoubleSpinBox()
            spin.setDecimals(decimals)
            spin.setRange(float(low), float(high))
        spin.setObjectName(key)
        spin.setSingleStep(step)
        spin.setSuffix(unit)
        spin.setShowClearButton(True)  # the clear button puts back the default
        spin.setClearValue(settings.DEFAULTS[key])
        spin.setToolTip(tr("Default: {}{}").format(settings.DEFAULTS[key], unit))
        spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        spin.setMinimumWidth(150)
        row = grid.count() // 3 * 2  # three widgets and two grid rows per setting
        name = QLabel(label)
        name.setBuddy(spin)
        grid.addWidget(name, row, 0)
        grid.addWidget(spin, row, 1)
        grid.addWidget(_help(help_text), row + 1, 0, 1, 2)
        self.spins[key] = spin

    def _fit_table(self) -> None:
        """The weights table as tall as its rows: no scroll bar of its own."""
        table = self.weights_table
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _mark_weight(self, category: str) -> None:
        """A weight other than its default shows in bold."""
        row = CATEGORIES.index(category)
        item = self.weights_table.item(row, 0)
        font = QFont(item.font())
        font.setBold(abs(self.weight_spins[category].value() - settings.default_weights()[category]) > 1e-9)
        item.setFont(font)

    def _check_crs(self, *_args) -> str:
        problem = settings.working_crs_problem(self.crs_widget.crs())
        self.crs_problem.setText(problem)
        self.crs_problem.setVisible(bool(problem))
        return problem

    def _switches_box(self) -> QGroupBox:
        """Beyond the published method: each switch off by default (the published configuration)."""
        box = QGroupBox(tr("Beyond the published method"))
        vbox = QVBoxLayout(box)
        vbox.addWidget(_help(tr("Off: the city's published method (SPEC §4). The backtest compares both configurations.")))
        texts = {
            "auto": tr("Choose the forest's settings by a backtest inside the training period"),
            "log_averaging": tr("Average the similar events' scores in log space (weighted geometric mean)"),
            "context_background": tr("Context axis: background incident rate around the footprint at the event's hours"),
            "context_load": tr("Context axis: the city's load that day (other events and their participants)"),
            "calibrate": tr("Calibrated 10-90 % band (conformal, on the most recent training events)"),
        }
        self.switches = {}
        for key in settings.SWITCHES:
            check = QCheckBox(texts[key])
            check.setObjectName(key)
            vbox.addWidget(check)
            self.switches[key] = check
        return box

    # --- values ---------------------------------------------------------------------------------

    def load(self) -> None:
        """The saved settings into the form."""
        for key, check in getattr(self, "switches", {}).items():
            check.setChecked(bool(settings.get(key)))
        for key, spin in self.spins.items():
            spin.setValue(settings.get(key))
        self.set_weights(settings.weights())
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem(settings.working_crs()))
        self._check_crs()
        self.message.clear()

    def set_weights(self, weights: Dict[str, float]) -> None:
        for category, spin in self.weight_spins.items():
            spin.setValue(float(weights.get(category, settings.default_weights()[category])))
            self._mark_weight(category)

    def weights(self) -> Dict[str, float]:
        return {category: round(spin.value(), WEIGHT_DECIMALS) for category, spin in self.weight_spins.items()}

    def values(self) -> Dict[str, object]:
        """The form's values, keyed as in ``settings.DEFAULTS`` (the CRS only when it is usable)."""
        out: Dict[str, object] = {}
        for key, spin in self.spins.items():
            out[key] = int(spin.value()) if isinstance(spin, QgsSpinBox) else float(spin.value())
        for key, check in self.switches.items():
            out[key] = int(check.isChecked())
        saved = settings.weights()
        # categories outside the table (saved by hand) are kept
        out["weights"] = {**{c: w for c, w in saved.items() if c not in self.weight_spins}, **self.weights()}
        if not self._check_crs():
            out["working_crs"] = self.crs_widget.crs().authid()
        return out

    def restore_default_weights(self) -> None:
        self.set_weights(settings.default_weights())

    def restore_defaults(self) -> None:
        for key, check in self.switches.items():
            check.setChecked(bool(settings.DEFAULTS[key]))
        for spin in self.spins.values():
            spin.clear()  # its clear value is the default
        self.restore_default_weights()
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem(settings.DEFAULTS["working_crs"]))
        self._check_crs()

    def apply(self) -> List[str]:
        """Saves the form; returns the keys that changed (listeners of settings.notifier() are told)."""
        problem = self._check_crs()
        try:
            changed = settings.update(self.values())
        except ValueError as err:  # the widgets' ranges should prevent it
            self.message.setText(str(err))
            self.message.setStyleSheet(BAD_STYLE)
            warning(str(err))
            return []
        if problem:
            text = tr("The working CRS was not changed: {}").format(problem)
            self.message.setText(text)
            self.message.setStyleSheet(BAD_STYLE)
            warning(text)
        else:
            self.message.setText(tr("Settings saved.") if changed else tr("No setting changed."))
            self.message.setStyleSheet(HELP_STYLE)
        return changed


class SettingsPage(QgsOptionsPageWidget):
    """The form as a page of QGIS's Options dialog (QGIS calls :meth:`apply` on OK)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName(PAGE_NAME)
        self.form = SettingsWidget()
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

    def apply(self):
        self.form.apply()


class SettingsPageFactory(QgsOptionsWidgetFactory):
    """Makes the page each time QGIS opens its Options dialog."""

    def __init__(self):
        super().__init__()
        self.setTitle(tr("Tranquillité publique"))
        self.setIcon(plugin_icon())

    def createWidget(self, parent=None):  # noqa: N802 - QGIS's name
        return SettingsPage(parent)


class SettingsDialog(QDialog):
    """The same form in a dialog, when the Options page is not registered (the docks alone)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("TranquilliteSettingsDialog")
        self.setWindowTitle(tr("Tranquillité publique settings"))
        self.form = SettingsWidget()
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(self.form)
        layout = QVBoxLayout(self)
        layout.addWidget(area, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.form.apply)
        layout.addWidget(self.buttons)
        self.resize(560, 720)

    def accept(self):
        self.form.apply()
        super().accept()


# --- registration -------------------------------------------------------------------------------


def register(iface) -> SettingsPageFactory:
    """Adds the page to QGIS's Options dialog (the plugin's initGui)."""
    global _factory
    factory = SettingsPageFactory()
    iface.registerOptionsWidgetFactory(factory)
    _factory = factory
    return factory


def unregister(iface, factory: Optional[SettingsPageFactory]) -> None:
    """Removes the page again (the plugin's unload)."""
    global _factory
    if factory is None:
        return
    iface.unregisterOptionsWidgetFactory(factory)
    if _factory is factory:
        _factory = None


def registered() -> Optional[SettingsPageFactory]:
    return _factory


def show_settings(iface, parent=None) -> Optional[SettingsDialog]:
    """Opens the settings: QGIS's Options dialog at the plugin's page, else a dialog of their own.

    Returns the dialog when one was opened here (the Options dialog is QGIS's and modal).
    """
    if _factory is not None:
        iface.showOptionsDialog(parent or iface.mainWindow(), currentPage=PAGE_NAME)
        return None
    dialog = SettingsDialog(parent or iface.mainWindow())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
