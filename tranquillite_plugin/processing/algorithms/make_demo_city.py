"""tranquillite:makedemocity — a deterministic Marseille-like demo observatory."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm


class MakeDemoCityAlgorithm(TranquilliteAlgorithm):
    NAME = "makedemocity"
    DISPLAY = "Make demo city"
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    ICON = "demo.svg"
    HELP = (
        "Writes a deterministic demo observatory, a Marseille-like city in Lambert-93 around the Vieux-Port, "
        "to a GeoPackage: sectors, traffic axes with their status, cameras with their coverage radius, past "
        "events of every nature (points, itineraries, areas), incidents around them and background incidents, "
        "and a few planned events. The same SEED always gives the same city. Up to 20,000 events and "
        "2,000,000 facts."
    )

    N_EVENTS = "N_EVENTS"
    N_FACTS = "N_FACTS"
    YEARS = "YEARS"
    SEED = "SEED"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        number = QgsProcessingParameterNumber
        self.addParameter(number(self.N_EVENTS, self.tr("Number of past events"), number.Integer, 600, False, 10, 20000))
        self.addParameter(number(self.N_FACTS, self.tr("Number of facts"), number.Integer, 60000, False, 100, 2000000))
        self.addParameter(number(self.YEARS, self.tr("Years of history"), number.Integer, 3, False, 1, 8))
        self.addParameter(number(self.SEED, self.tr("Random seed"), number.Integer, 0, False, 0))
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("Demo observatory"), self.tr("GeoPackage (*.gpkg)"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.core.democity import LAYERS, make_demo_city
        from tranquillite_plugin.store.ogr_io import write_demo_city

        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        feedback.setProgressText(self.tr("Generating the city"))
        city = make_demo_city(
            n_events=self.parameterAsInt(parameters, self.N_EVENTS, context),
            n_facts=self.parameterAsInt(parameters, self.N_FACTS, context),
            years=self.parameterAsInt(parameters, self.YEARS, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
        )
        if feedback.isCanceled():
            raise QgsProcessingException(self.tr("Cancelled"))
        feedback.setProgress(50)
        feedback.setProgressText(self.tr("Writing {}").format(path))
        write_demo_city(path, city)
        feedback.setProgress(100)
        for name in LAYERS:
            feedback.pushInfo(self.tr("{}: {} features").format(name, len(getattr(city, name))))
        return {self.OUTPUT: path}
