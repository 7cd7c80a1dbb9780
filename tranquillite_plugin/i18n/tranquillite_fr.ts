<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
    <context>
        <name>Tranquillite</name>
        <message>
            <location filename="../report/sheet.py" line="41" />
            <source> (unknown that day: training median)</source>
            <translation> (inconnu ce jour-là : médiane de l'entraînement)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="304" />
            <source> days</source>
            <translation> jours</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="225" />
            <location filename="../gui/settings_page.py" line="227" />
            <source> events</source>
            <translation> événements</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="218" />
            <source> h</source>
            <translation> h</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="218" />
            <source> m</source>
            <translation> m</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="226" />
            <source> trees</source>
            <translation> arbres</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="41" />
            <location filename="../gui/results_panel.py" line="39" />
            <source>#</source>
            <translation>N°</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="167" />
            <location filename="../report/event_sheet.py" line="548" />
            <location filename="../report/sheet.py" line="23" />
            <source>%Y-%m-%d %H:%M</source>
            <translation>%d/%m/%Y %H:%M</translation>
        </message>
        <message>
            <location filename="../settings.py" line="174" />
            <source>'{}' is not a coordinate reference system QGIS knows.</source>
            <translation>« {} » n'est pas un système de coordonnées de référence connu de QGIS.</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="92" />
            <source>(choose a field)</source>
            <translation>(choisir un champ)</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="226" />
            <source>(new event)</source>
            <translation>(nouvel événement)</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="92" />
            <source>(none)</source>
            <translation>(aucun)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="335" />
            <source>(recent − usual) / spread of the baseline, the spread never below √usual</source>
            <translation>(récent − habituel) / dispersion de la référence, la dispersion jamais sous √habituel</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="591" />
            <source>(the {} most similar of {})</source>
            <translation>(les {} plus similaires sur {})</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="49" />
            <source>, above {} % of past events</source>
            <translation>, au-dessus de {} % des événements passés</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="48" />
            <source>, in the top {} % of past events</source>
            <translation>, dans les {} % les plus élevés des événements passés</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="246" />
            <source>1 warning: same place, same time</source>
            <translation>1 alerte : même lieu, même moment</translation>
        </message>
        <message>
            <location filename="../styles.py" line="130" />
            <source>A layer without point, line or polygon geometry cannot be styled.</source>
            <translation>Une couche sans géométrie ponctuelle, linéaire ou surfacique ne peut pas recevoir de style.</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="86" />
            <source>A place: a rally point, a ceremony</source>
            <translation>Un lieu : un point de rassemblement, une cérémonie</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="237" />
            <source>A point event's footprint is the disc of this radius around it.</source>
            <translation>L'emprise d'un événement ponctuel est le disque de ce rayon autour de lui.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="74" />
            <source>a square grid</source>
            <translation>une grille carrée</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="43" />
            <source>Above the band</source>
            <translation>Au-dessus de la fourchette</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="47" />
            <location filename="../processing/algorithms/fairness_audit.py" line="39" />
            <location filename="../processing/algorithms/transparency.py" line="112" />
            <location filename="../processing/algorithms/trends.py" line="50" />
            <source>Accountability</source>
            <translation>Redevabilité</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="65" />
            <location filename="../gui/data_panel.py" line="280" />
            <source>Add layers</source>
            <translation>Ajouter des couches</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="66" />
            <source>Add layers from a file, a database or a web service</source>
            <translation>Ajouter des couches depuis un fichier, une base de données ou un service web</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/sector_statistics.py" line="31" />
            <source>Adds to each sector the number of scored events and their mean score (an event without a sector goes to the sector containing its footprint's centroid, else the nearest), the number of facts inside it (counts included), its area in km² and its facts per km². The sectors' style is graduated on mean_score or facts_per_km2.</source>
            <translation>Ajoute à chaque secteur le nombre d'événements scorés et leur score moyen (un événement sans secteur va au secteur qui contient le centroïde de son emprise, sinon au plus proche), le nombre de faits qu'il contient (effectifs compris), sa surface en km² et ses faits par km². Le style des secteurs est gradué sur mean_score ou facts_per_km2.</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="166" />
            <source>Add…</source>
            <translation>Ajouter…</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="74" />
            <source>Aggregate to</source>
            <translation>Agréger par</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="87" />
            <source>Aggregated facts</source>
            <translation>Faits agrégés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="99" />
            <source>Aggregating to sectors needs a SECTORS layer</source>
            <translation>L'agrégation par secteur demande une couche SECTORS</translation>
        </message>
        <message>
            <location filename="../styles.py" line="746" />
            <location filename="../styles.py" line="747" />
            <source>alert</source>
            <translation>alerte</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="345" />
            <source>Alert when</source>
            <translation>Alerte si</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="93" />
            <source>Alert when recent / usual is at least</source>
            <translation>Alerte quand récent / habituel atteint au moins</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="45" />
            <source>Algorithm notice and record of processing</source>
            <translation>Notice algorithmique et registre du traitement</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="88" />
            <source>An area: a concert, a festival ground</source>
            <translation>Une zone : un concert, un site de festival</translation>
        </message>
        <message>
            <location filename="../attachments.py" line="45" />
            <location filename="../gui/event_panel.py" line="321" />
            <source>An attachment path cannot contain ';': {}</source>
            <translation>Le chemin d'une pièce jointe ne peut pas contenir « ; » : {}</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="236" />
            <source>An itinerary's footprint is its line widened by this distance on each side.</source>
            <translation>L'emprise d'un itinéraire est sa ligne élargie de cette distance de chaque côté.</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="87" />
            <source>An itinerary: a march, a race</source>
            <translation>Un itinéraire : un défilé, une course</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="94" />
            <source>and the z-score is at least</source>
            <translation>et le z-score atteint au moins</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="95" />
            <source>and there are at least (facts)</source>
            <translation>et il y a au moins (faits)</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="86" />
            <source>and {} more</source>
            <translation>et {} de plus</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="75" />
            <location filename="../processing/algorithms/import_layer.py" line="76" />
            <source>append</source>
            <translation>ajouter</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="169" />
            <source>Apply retention</source>
            <translation>Appliquer la durée de conservation</translation>
        </message>
        <message>
            <location filename="../gui/footprint_tool.py" line="58" />
            <source>Area</source>
            <translation>Zone</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="307" />
            <source>Area of {}</source>
            <translation>Surface de {}</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="56" />
            <location filename="../gui/layers.py" line="213" />
            <location filename="../gui/planned.py" line="223" />
            <location filename="../report/memory.py" line="49" />
            <location filename="../store/qgis_store.py" line="50" />
            <source>areas</source>
            <translation>zones</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="35" />
            <location filename="../processing/algorithms/model_options.py" line="39" />
            <source>As given below (the published method by default)</source>
            <translation>Comme indiqués ci-dessous (la méthode publiée par défaut)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="340" />
            <source>At least this many facts in the recent window</source>
            <translation>Au moins ce nombre de faits dans la fenêtre récente</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="67" />
            <source>Audit</source>
            <translation>Audit</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="99" />
            <location filename="../processing/algorithms/fairness_audit.py" line="100" />
            <source>Audit report</source>
            <translation>Rapport d'audit</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/base.py" line="221" />
            <source>Audit row {} written to {}</source>
            <translation>Ligne d'audit {} écrite dans {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="35" />
            <source>Audit rows copied</source>
            <translation>Lignes d'audit copiées</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="75" />
            <location filename="../processing/algorithms/offline.py" line="76" />
            <source>Audit rows pushed</source>
            <translation>Lignes d'audit renvoyées</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="58" />
            <source>Audit trail BROKEN at row {}: {}</source>
            <translation>Piste d'audit ROMPUE à la ligne {} : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="38" />
            <source>Audit trail intact</source>
            <translation>Piste d'audit intacte</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="59" />
            <source>Audit trail intact: {} rows, head {}</source>
            <translation>Piste d'audit intacte : {} lignes, tête {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="130" />
            <source>Auto mode chose {} out of {} candidates (figures in the model file)</source>
            <translation>Le mode auto a choisi {} parmi {} candidats (chiffres dans le fichier du modèle)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="35" />
            <location filename="../processing/algorithms/model_options.py" line="40" />
            <source>Auto: chosen by a backtest inside the training period</source>
            <translation>Auto : choisis par un backtest à l'intérieur de la période d'entraînement</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="306" />
            <source>Average the similar events' scores in log space (weighted geometric mean)</source>
            <translation>Moyenner les scores des événements similaires en logarithme (moyenne géométrique pondérée)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="45" />
            <location filename="../processing/algorithms/model_options.py" line="46" />
            <source>Averaging of the similar events' scores</source>
            <translation>Moyenne des scores des événements similaires</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="59" />
            <location filename="../processing/algorithms/import_layer.py" line="62" />
            <source>axes</source>
            <translation>axes</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="125" />
            <location filename="../processing/algorithms/train_model.py" line="126" />
            <source>Axes' importances: {}</source>
            <translation>Importance des axes : {}</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="45" />
            <source>axis identifier</source>
            <translation>identifiant de l'axe</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="116" />
            <source>Background incidents here at these hours</source>
            <translation>Incidents de fond ici à ces heures</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="67" />
            <source>Background incidents here at these hours: {:.2f} facts / h</source>
            <translation>Incidents de fond ici à ces heures : {:.2f} faits / h</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="186" />
            <location filename="../processing/algorithms/fairness_audit.py" line="142" />
            <source>Backtest</source>
            <translation>Test rétrospectif</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="79" />
            <location filename="../processing/algorithms/fairness_audit.py" line="80" />
            <source>Backtest cut date (e.g. 2024-01-01; empty: no residuals)</source>
            <translation>Date de coupure du test rétrospectif (ex. 2024-01-01 ; vide : pas de résidus)</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="180" />
            <source>Backtest from</source>
            <translation>Test rétrospectif à partir du</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="38" />
            <source>Backtest the score transfer</source>
            <translation>Test rétrospectif du transfert de score</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="250" />
            <location filename="../gui/audit_panel.py" line="251" />
            <source>Backtest: predicted / observed = {ratio:.2f} over {n} predicted events.</source>
            <translation>Test rétrospectif : prédit / observé = {ratio:.2f} sur {n} événements prédits.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="489" />
            <source>Backtest: trained on {} events, tested on {}</source>
            <translation>Test rétrospectif : entraîné sur {} événements, testé sur {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="140" />
            <source>Backtests as scored and with police-initiated facts down-weighted</source>
            <translation>Tests rétrospectifs avec les scores tels quels et avec les faits d'initiative policière sous-pondérés</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="41" />
            <source>Band coverage (goal 80 %)</source>
            <translation>Couverture de la fourchette (objectif 80 %)</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="63" />
            <source>Band: calibrated on recent events to hold 80 % of the scores</source>
            <translation>Fourchette : calibrée sur des événements récents pour contenir 80 % des scores</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="42" />
            <source>Below the band</source>
            <translation>Sous la fourchette</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="301" />
            <source>Beyond the published method</source>
            <translation>Au-delà de la méthode publiée</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="80" />
            <source>Build the demo observatory (a Marseille-like city) and open it</source>
            <translation>Construire l'observatoire de démonstration (une ville inspirée de Marseille) et l'ouvrir</translation>
        </message>
        <message>
            <location filename="../gui/controller.py" line="160" />
            <source>Building the demo city</source>
            <translation>Construction de la ville de démonstration</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="309" />
            <location filename="../processing/algorithms/model_options.py" line="51" />
            <location filename="../processing/algorithms/model_options.py" line="55" />
            <source>Calibrated 10-90 % band (conformal, on the most recent training events)</source>
            <translation>Fourchette 10-90 % calibrée (conforme, sur les événements d'entraînement les plus récents)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="134" />
            <source>Calibrated band: offsets {:+.2f} / {:+.2f} in log1p on {} events</source>
            <translation>Fourchette calibrée : décalages {:+.2f} / {:+.2f} en log1p sur {} événements</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="201" />
            <source>camera and its coverage</source>
            <translation>caméra et sa couverture</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="254" />
            <source>Camera coverage: no cameras layer chosen.</source>
            <translation>Couverture vidéo : aucune couche de caméras choisie.</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="256" />
            <source>Camera coverage: the footprint has no area.</source>
            <translation>Couverture vidéo : l'emprise n'a pas de surface.</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="258" />
            <location filename="../gui/results_panel.py" line="259" />
            <source>Camera coverage: {share:.0%} of the footprint ({n} cameras)</source>
            <translation>Couverture vidéo : {share:.0%} de l'emprise ({n} caméras)</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="119" />
            <location filename="../report/sheet.py" line="120" />
            <source>Camera coverage: {} % of the footprint ({} cameras)</source>
            <translation>Couverture vidéo : {} % de l'emprise ({} caméras)</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="48" />
            <source>camera identifier</source>
            <translation>identifiant de la caméra</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="119" />
            <location filename="../store/qgis_store.py" line="48" />
            <location filename="../vocabulary.py" line="101" />
            <source>Cameras</source>
            <translation>Caméras</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="59" />
            <location filename="../processing/algorithms/import_layer.py" line="62" />
            <source>cameras</source>
            <translation>caméras</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="201" />
            <source>Cameras and their coverage</source>
            <translation>Caméras et leur couverture</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="83" />
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="121" />
            <location filename="../processing/algorithms/fairness_audit.py" line="167" />
            <location filename="../processing/algorithms/make_demo_city.py" line="57" />
            <location filename="../processing/algorithms/predict_events.py" line="125" />
            <location filename="../processing/algorithms/score_events.py" line="101" />
            <location filename="../processing/algorithms/train_model.py" line="113" />
            <source>Cancelled</source>
            <translation>Annulé</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="339" />
            <source>Cannot add the planned event: {}</source>
            <translation>Impossible d'ajouter l'événement prévu : {}</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="469" />
            <location filename="../gui/planned.py" line="495" />
            <source>Cannot open the planned events of the store {}</source>
            <translation>Impossible d'ouvrir les événements prévus de l'entrepôt {}</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="195" />
            <source>Cannot open the planned events table {}</source>
            <translation>Impossible d'ouvrir la table des événements prévus {}</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="326" />
            <source>Cannot replace the planned event: {}</source>
            <translation>Impossible de remplacer l'événement prévu : {}</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="346" />
            <source>Cannot update the planned event's footprint: {}</source>
            <translation>Impossible de mettre à jour l'emprise de l'événement prévu : {}</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="344" />
            <source>Cannot update the planned event: {}</source>
            <translation>Impossible de mettre à jour l'événement prévu : {}</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="145" />
            <source>Cannot write the planned events file {}</source>
            <translation>Impossible d'écrire le fichier des événements prévus {}</translation>
        </message>
        <message>
            <location filename="../gui/screenshots.py" line="240" />
            <source>Cannot write {}</source>
            <translation>Impossible d'écrire {}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="436" />
            <source>Categories in alert: {}</source>
            <translation>Catégories en alerte : {}</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="120" />
            <source>Category</source>
            <translation>Catégorie</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="115" />
            <source>Category weights</source>
            <translation>Poids des catégories</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="69" />
            <location filename="../processing/algorithms/score_events.py" line="70" />
            <source>Category weights (e.g. violence=4, vol=2.5)</source>
            <translation>Poids des catégories (ex. violence=4, vol=2.5)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="42" />
            <source>Category weights used by the score (e.g. violence=4)</source>
            <translation>Poids des catégories utilisés par le score (ex. violence=4)</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="61" />
            <source>Ceremony</source>
            <translation>Cérémonie</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="49" />
            <source>Change</source>
            <translation>Modification</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="348" />
            <source>Check</source>
            <translation>Vérifier</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="149" />
            <location filename="../gui/data_panel.py" line="363" />
            <source>Check and import</source>
            <translation>Vérifier et importer</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="150" />
            <location filename="../gui/data_panel.py" line="151" />
            <source>Check every chosen layer against the data contract and import it: the report says how many features were taken, repaired or refused, and why</source>
            <translation>Vérifier chaque couche choisie au regard du contrat de données et l'importer : le rapport indique combien d'entités ont été reprises, réparées ou refusées, et pourquoi</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="120" />
            <source>Check that no audit row was edited, deleted or reordered</source>
            <translation>Vérifier qu'aucune ligne d'audit n'a été modifiée, supprimée ou réordonnée</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="28" />
            <source>Checks a layer against the data contract and imports it into an observatory store, all or nothing: a cancelled or failed import leaves the store as it was.

KIND says what the layer holds: facts (points: category, occurred_at, optional count and source), events (event_id, nature, participants, start, end, optional sector; points, itineraries or areas), sectors (polygons: sector_id, name), axes (lines: axis_id, name, status, updated_at) or cameras (points: camera_id, radius_m, optional bearing_deg and fov_deg). Field names are matched without regard to case; FIELD_MAP maps others onto them, e.g. 'category=type_fait, occurred_at=date'. PLANNED marks imported events as planned.

The layer is read in any CRS and stored in the store's. Personal data is refused: a field whose name or content looks personal (names, e-mail, telephone, plates, birth dates, free text) stops the import unless it is listed in DROP_FIELDS (comma-separated).

A layer that breaks the contract as a whole (a required field missing, no CRS) fails with the contract report; features that break it one by one are refused and listed, the others are imported. MODE append adds the features (those whose id is already in the store are refused); replace empties the layer first. Outputs: how many features were read, taken, repaired and refused, and the report.</source>
            <translation>Vérifie une couche au regard du contrat de données et l'importe dans un entrepôt d'observatoire, en tout ou rien : un import annulé ou en échec laisse l'entrepôt tel qu'il était.

KIND dit ce que contient la couche : faits (points : category, occurred_at, count et source facultatifs), événements (event_id, nature, participants, start, end, sector facultatif ; points, itinéraires ou zones), secteurs (polygones : sector_id, name), axes (lignes : axis_id, name, status, updated_at) ou caméras (points : camera_id, radius_m, bearing_deg et fov_deg facultatifs). Les noms de champs sont reconnus sans tenir compte de la casse ; FIELD_MAP y associe d'autres noms, par ex. « category=type_fait, occurred_at=date ». PLANNED marque les événements importés comme prévus.

La couche est lue dans n'importe quel SCR et enregistrée dans celui de l'entrepôt. Les données personnelles sont refusées : un champ dont le nom ou le contenu semble personnel (noms, e-mail, téléphone, plaques, dates de naissance, texte libre) arrête l'import, sauf s'il figure dans DROP_FIELDS (séparés par des virgules).

Une couche qui enfreint le contrat dans son ensemble (champ obligatoire absent, pas de SCR) échoue avec le rapport du contrat ; les entités qui l'enfreignent une à une sont refusées et listées, les autres sont importées. MODE append ajoute les entités (celles dont l'identifiant est déjà dans l'entrepôt sont refusées) ; replace vide d'abord la couche. Sorties : combien d'entités ont été lues, reprises, réparées et refusées, et le rapport.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="21" />
            <source>Checks the audit trail of an observatory store. Every import, scoring, training, prediction, backtest and export appends a row (when, which OS user, which algorithm, parameters, input layers and their number of features, model fingerprint); each row holds the hash of its content and of the row before it, so an edited, deleted or reordered row breaks the chain.

This workstation also keeps the number of rows and the head it last verified, outside the store: a trail cut, wiped or re-chained since is broken. A GeoPackage's rows are signed with this workstation's key and carry a digest of the data, so a rehashed or forged row, or data changed outside the application, is found too.

A broken trail fails the algorithm (an error naming the first bad row and why). Outputs of an intact trail: OK, the number of rows and the head hash.</source>
            <translation>Vérifie la piste d'audit d'un entrepôt d'observatoire. Chaque import, score, entraînement, prédiction, test rétrospectif et export ajoute une ligne (quand, quel utilisateur du système, quel algorithme, les paramètres, les couches en entrée et leur nombre d'entités, l'empreinte du modèle) ; chaque ligne contient l'empreinte (hash) de son contenu et de la ligne précédente, si bien qu'une ligne modifiée, supprimée ou réordonnée rompt la chaîne.

Ce poste garde aussi, hors de l'entrepôt, le nombre de lignes et l'empreinte de tête qu'il a vérifiés en dernier : une piste coupée, effacée ou rechaînée depuis est rompue. Les lignes d'un GeoPackage sont signées avec la clé de ce poste et portent une empreinte des données, si bien qu'une ligne réempreintée ou forgée, ou des données modifiées hors de l'application, sont détectées aussi.

Une piste rompue fait échouer l'algorithme (une erreur qui nomme la première ligne fautive et pourquoi). Sorties d'une piste intacte : OK, le nombre de lignes et l'empreinte de tête.</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="79" />
            <location filename="../gui/mapping_dialog.py" line="80" />
            <source>Choose the field of “{}” that holds each field of the {} contract. Fields marked * are required.</source>
            <translation>Choisissez le champ de « {} » qui contient chaque champ du contrat {}. Les champs marqués * sont obligatoires.</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="305" />
            <source>Choose the forest's settings by a backtest inside the training period</source>
            <translation>Choisir les réglages de la forêt par un backtest à l'intérieur de la période d'entraînement</translation>
        </message>
        <message>
            <location filename="../gui/layers.py" line="274" />
            <source>Choose the {} layer first</source>
            <translation>Choisissez d'abord la couche {}</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="118" />
            <source>City's load that day</source>
            <translation>Charge de la ville ce jour-là</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="75" />
            <source>City's load that day, before it: {} other events, {} participants</source>
            <translation>Charge de la ville ce jour-là, avant lui : {} autres événements, {} participants</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="374" />
            <location filename="../gui/audit_panel.py" line="375" />
            <source>Click a sector to zoom to it. The sectors in alert are drawn in red on the map, labelled with the category that drives them.</source>
            <translation>Cliquez sur un secteur pour zoomer dessus. Les secteurs en alerte sont dessinés en rouge sur la carte, étiquetés avec la catégorie qui les porte.</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="163" />
            <source>Click an event to zoom to it: its footprint and the facts that made its score are highlighted.</source>
            <translation>Cliquez sur un événement pour zoomer dessus : son emprise et les faits qui ont fait son score sont mis en évidence.</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="108" />
            <location filename="../gui/event_panel.py" line="109" />
            <source>Click on the map to add vertices; right-click or double-click finishes. Backspace removes the last vertex, Esc cancels.</source>
            <translation>Cliquez sur la carte pour ajouter des sommets ; clic droit ou double-clic pour terminer. Retour arrière retire le dernier sommet, Échap annule.</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="90" />
            <source>Closed</source>
            <translation>Fermé</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="240" />
            <source>Closed traffic axis &lt;b&gt;{}&lt;/b&gt; ({}) crosses the footprint</source>
            <translation>L'axe de circulation fermé &lt;b&gt;{}&lt;/b&gt; ({}) traverse l'emprise</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="103" />
            <source>Closed traffic axis {} ({}) crosses the footprint</source>
            <translation>L'axe de circulation fermé {} ({}) traverse l'emprise</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="133" />
            <source>Code “{}”, default weight {}</source>
            <translation>Code « {} », poids par défaut {}</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="89" />
            <source>Compare (backtest on the last quarter)</source>
            <translation>Comparer (backtest sur le dernier quart)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="85" />
            <source>Compare with police-initiated facts down-weighted</source>
            <translation>Comparer avec les faits d'initiative policière sous-pondérés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="30" />
            <location filename="../processing/algorithms/model_options.py" line="32" />
            <source>Compare with the enriched configuration (context axes, auto settings, calibrated band)</source>
            <translation>Comparer avec la configuration enrichie (axes de contexte, réglages auto, fourchette calibrée)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="320" />
            <source>Compared with</source>
            <translation>Comparée à</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="349" />
            <source>Compute</source>
            <translation>Calculer</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="405" />
            <source>Computing the trends…</source>
            <translation>Calcul des tendances…</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="58" />
            <source>Concert</source>
            <translation>Concert</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="69" />
            <source>Configuration (published, enriched or custom)</source>
            <translation>Configuration (publiée, enrichie ou personnalisée)</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="61" />
            <source>Configuration: custom settings</source>
            <translation>Configuration : réglages personnalisés</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="59" />
            <source>Configuration: enriched (context axes, settings chosen by a backtest, calibrated band)</source>
            <translation>Configuration : enrichie (axes de contexte, réglages choisis par un backtest, fourchette calibrée)</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="58" />
            <source>Configuration: the published method (eight axes, scores of the similar events averaged)</source>
            <translation>Configuration : la méthode publiée (huit axes, moyenne des scores des événements similaires)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="115" />
            <location filename="../processing/algorithms/train_model.py" line="128" />
            <source>Configuration: {}; band: {}</source>
            <translation>Configuration : {} ; fourchette : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="75" />
            <location filename="../processing/algorithms/offline.py" line="76" />
            <source>Conflicts</source>
            <translation>Conflits</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="78" />
            <source>Conflicts, one per line</source>
            <translation>Conflits, un par ligne</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="380" />
            <location filename="../gui/data_panel.py" line="383" />
            <source>Connection (postgresql://user@host/db?schema=tranquillite, or service=name):</source>
            <translation>Connexion (postgresql://utilisateur@hôte/base?schema=tranquillite, ou service=nom) :</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/base.py" line="121" />
            <source>Connection not verified: {}</source>
            <translation>Connexion non vérifiée : {}</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="307" />
            <source>Context axis: background incident rate around the footprint at the event's hours</source>
            <translation>Axe de contexte : taux d'incidents de fond autour de l'emprise aux heures de l'événement</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="51" />
            <location filename="../processing/algorithms/model_options.py" line="52" />
            <source>Context axis: background incident rate around the footprint at the event's hours (needs FACTS)</source>
            <translation>Axe de contexte : taux d'incidents de fond autour de l'emprise aux heures de l'événement (demande FACTS)</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="308" />
            <location filename="../processing/algorithms/model_options.py" line="51" />
            <location filename="../processing/algorithms/model_options.py" line="54" />
            <source>Context axis: the city's load that day (other events and their participants)</source>
            <translation>Axe de contexte : la charge de la ville ce jour-là (autres événements et leurs participants)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="51" />
            <location filename="../processing/algorithms/model_options.py" line="53" />
            <source>Context axis: weather of the day (needs WEATHER)</source>
            <translation>Axe de contexte : météo du jour (demande WEATHER)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="141" />
            <source>Controls kept in the store</source>
            <translation>Contrôles conservés dans le magasin</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="641" />
            <source>Could not write the event sheet {} (layout export error {}).</source>
            <translation>Impossible d'écrire la fiche événement {} (erreur d'export de la mise en page {}).</translation>
        </message>
        <message>
            <location filename="../report/render.py" line="420" />
            <source>Could not write the image {} (layout export error {}).</source>
            <translation>Impossible d'écrire l'image {} (erreur d'export de la mise en page {}).</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="189" />
            <source>Count cells kept</source>
            <translation>Cellules de comptage conservées</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="49" />
            <source>coverage radius in metres</source>
            <translation>rayon de couverture en mètres</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="103" />
            <source>Create an observatory store in a new GeoPackage</source>
            <translation>Créer un entrepôt d'observatoire dans un nouveau GeoPackage</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="20" />
            <source>Create observatory store</source>
            <translation>Créer un entrepôt d'observatoire</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="46" />
            <source>Created (false: an existing store was opened)</source>
            <translation>Créé (faux : un entrepôt existant a été ouvert)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="23" />
            <source>Creates an observatory store: the layers (facts, past and planned events, sectors, traffic axes, cameras), the settings, the model's saved state and the audit trail, in one place.

STORE is a GeoPackage file (a path ending in .gpkg: embedded, for one workstation or offline use) or a PostgreSQL/PostGIS connection shared by a supervision centre: postgresql://user@host:5432/database, PG:dbname=... host=..., or service=name. The tables go in the schema 'tranquillite' unless the connection says schema=name. On PostGIS, every workstation's layers redraw within a second when another one changes them.

When STORE already holds a store, it is opened and upgraded to the plugin's schema version instead. CRS is the store's working CRS (default EPSG:2154, Lambert-93); every distance is in its units.</source>
            <translation>Crée un entrepôt d'observatoire : les couches (faits, événements passés et prévus, secteurs, axes de circulation, caméras), les réglages, l'état enregistré du modèle et la piste d'audit, en un seul endroit.

STORE est un fichier GeoPackage (un chemin finissant par .gpkg : embarqué, pour un poste seul ou un usage hors ligne) ou une connexion PostgreSQL/PostGIS partagée par un centre de supervision : postgresql://utilisateur@hôte:5432/base, PG:dbname=... host=..., ou service=nom. Les tables vont dans le schéma « tranquillite » sauf si la connexion indique schema=nom. Sur PostGIS, les couches de chaque poste se redessinent en moins d'une seconde quand un autre poste les modifie.

Quand STORE contient déjà un entrepôt, celui-ci est ouvert et mis à niveau vers la version de schéma de l'extension. CRS est le SCR de travail de l'entrepôt (par défaut EPSG:2154, Lambert-93) ; toutes les distances sont dans ses unités.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="67" />
            <source>Cut date (train before, predict after)</source>
            <translation>Date de coupure (entraîner avant, prédire après)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="102" />
            <source>CUT_DATE: give a date and time</source>
            <translation>CUT_DATE : donnez une date et une heure</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="76" />
            <source>Damage</source>
            <translation>Dégradation</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="58" />
            <source>Data</source>
            <translation>Données</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="42" />
            <source>Date</source>
            <translation>Date</translation>
        </message>
        <message>
            <location filename="../gui/datetime_widget.py" line="109" />
            <source>Date and time (Europe/Paris)</source>
            <translation>Date et heure (Europe/Paris)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="81" />
            <location filename="../processing/algorithms/export_aggregated.py" line="83" />
            <source>day</source>
            <translation>jour</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="266" />
            <source>Default: {}{}</source>
            <translation>Par défaut : {}{}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="79" />
            <source>Demo city</source>
            <translation>Ville de démonstration</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="40" />
            <location filename="../processing/algorithms/make_demo_city.py" line="41" />
            <source>Demo observatory</source>
            <translation>Observatoire de démonstration</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="55" />
            <source>Demonstration</source>
            <translation>Manifestation</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="88" />
            <source>Dense</source>
            <translation>Dense</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="121" />
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="79" />
            <source>Difference (95 % interval)</source>
            <translation>Différence (intervalle à 95 %)</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="50" />
            <source>direction, degrees clockwise from north</source>
            <translation>direction, en degrés dans le sens horaire depuis le nord</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="110" />
            <source>Done.</source>
            <translation>Terminé.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="86" />
            <source>Down-weighting factor of police-initiated facts</source>
            <translation>Facteur de sous-pondération des faits d'initiative policière</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="103" />
            <source>Drag the vertices of the footprint on the map</source>
            <translation>Déplacez les sommets de l'emprise sur la carte</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="287" />
            <source>Draw a footprint first: choose Point, Itinerary or Area.</source>
            <translation>Dessinez d'abord une emprise : choisissez Point, Itinéraire ou Zone.</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="82" />
            <location filename="../plugin.py" line="84" />
            <source>Draw a planned event</source>
            <translation>Dessiner un événement prévu</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="82" />
            <location filename="../plugin.py" line="86" />
            <source>Draw the footprint of a planned event on the map (point, itinerary or area)</source>
            <translation>Dessiner sur la carte l'emprise d'un événement prévu (point, itinéraire ou zone)</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="142" />
            <source>Drift at the latest control in: {} (police-initiated share moved by more than {} points).</source>
            <translation>Dérive au dernier contrôle dans : {} (la part d'initiative policière a varié de plus de {} points).</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="133" />
            <source>Drift: mean log1p residual moved by more than</source>
            <translation>Dérive : le résidu moyen log1p varie de plus de</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="131" />
            <source>Drift: police share moved by more than</source>
            <translation>Dérive : la part policière varie de plus de</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="73" />
            <source>Driving category</source>
            <translation>Catégorie en cause</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="413" />
            <source>Drop {} and import again</source>
            <translation>Supprimer {} et importer à nouveau</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="115" />
            <source>Duration</source>
            <translation>Durée</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="238" />
            <source>Each fact adds its category's weight, times its count, to the score of every event it counts for. Other category codes weigh 1.</source>
            <translation>Chaque fait ajoute le poids de sa catégorie, multiplié par son nombre, au score de chaque événement pour lequel il compte. Les autres codes de catégorie pèsent 1.</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="102" />
            <source>Edit vertices</source>
            <translation>Modifier les sommets</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="75" />
            <source>Edits pushed</source>
            <translation>Modifications renvoyées</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="149" />
            <source>End</source>
            <translation>Fin</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="41" />
            <source>end date and time</source>
            <translation>date et heure de fin</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="83" />
            <location filename="../processing/algorithms/trends.py" line="84" />
            <source>End of the recent window (e.g. 2024-03-18; empty: after the latest fact)</source>
            <translation>Fin de la fenêtre récente (ex. 2024-03-18 ; vide : après le dernier fait)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="66" />
            <location filename="../processing/algorithms/transparency.py" line="67" />
            <source>English</source>
            <translation>Anglais</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="79" />
            <source>Enriched</source>
            <translation>Enrichie</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="51" />
            <source>enriched better</source>
            <translation>enrichie meilleure</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="124" />
            <source>Enriched settings chosen by the backtest inside the training period: {}</source>
            <translation>Réglages enrichis choisis par le backtest à l'intérieur de la période d'entraînement : {}</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="183" />
            <source>Estimate the score</source>
            <translation>Estimer le score</translation>
        </message>
        <message>
            <location filename="../gui/controller.py" line="185" />
            <location filename="../report/sheet.py" line="141" />
            <source>Estimate the score of a planned event first</source>
            <translation>Estimez d'abord le score d'un événement prévu</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="156" />
            <source>Estimating the score of {}</source>
            <translation>Estimation du score de {}</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="59" />
            <location filename="../gui/results_panel.py" line="40" />
            <location filename="../report/event_sheet.py" line="446" />
            <source>Event</source>
            <translation>Événement</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="107" />
            <source>Event score</source>
            <translation>Score des événements</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="340" />
            <location filename="../report/event_sheet.py" line="550" />
            <source>Event sheet</source>
            <translation>Fiche événement</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="185" />
            <source>Event sheet (PDF)…</source>
            <translation>Fiche événement (PDF)…</translation>
        </message>
        <message>
            <location filename="../gui/controller.py" line="192" />
            <source>Event sheet not written: {}</source>
            <translation>Fiche événement non écrite : {}</translation>
        </message>
        <message>
            <location filename="../gui/controller.py" line="194" />
            <source>Event sheet written to {}</source>
            <translation>Fiche événement écrite dans {}</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="363" />
            <source>Event sheet — {}</source>
            <translation>Fiche événement — {}</translation>
        </message>
        <message>
            <location filename="../gui/highlights.py" line="129" />
            <source>Event {} is not in the loaded layers: its footprint cannot be shown</source>
            <translation>L'événement {} n'est pas dans les couches chargées : son emprise ne peut pas être affichée</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="59" />
            <location filename="../processing/algorithms/score_events.py" line="59" />
            <location filename="../processing/algorithms/score_events.py" line="60" />
            <location filename="../store/qgis_store.py" line="45" />
            <source>Events</source>
            <translation>Événements</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="59" />
            <location filename="../processing/algorithms/import_layer.py" line="62" />
            <source>events</source>
            <translation>événements</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="74" />
            <source>Events are planned (no facts yet)</source>
            <translation>Les événements sont prévus (pas encore de faits)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="83" />
            <source>Events predicted</source>
            <translation>Événements prédits</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="242" />
            <source>Every distance above is in metres in this CRS, and the layers are reprojected into it when they are read. An observatory store keeps the CRS it was created with.</source>
            <translation>Toutes les distances ci-dessus sont en mètres dans ce SCR, et les couches y sont reprojetées à leur lecture. Un entrepôt d'observatoire garde le SCR avec lequel il a été créé.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="66" />
            <location filename="../processing/algorithms/create_store.py" line="67" />
            <source>Existing store opened: {} (CRS {}, schema version {})</source>
            <translation>Entrepôt existant ouvert : {} (SCR {}, version de schéma {})</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="39" />
            <source>expected or counted participants</source>
            <translation>participants attendus ou comptés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="18" />
            <source>Export an offline copy</source>
            <translation>Exporter une copie hors ligne</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="45" />
            <source>Export facts aggregated</source>
            <translation>Exporter les faits agrégés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="49" />
            <source>Exports the facts counted per cell — squares of a grid of CELL_SIZE metres (aligned on multiples of the size in the working CRS) or SECTORS — and optionally per PERIOD (year, month, ISO week or day), so that no single fact can be singled out.

Every published figure comes from at least MIN_COUNT fact records (rows; a record whose count is 3 is still one place and one time): a cell with fewer is suppressed (on a grid it is not written; a sector is written with empty figures and suppressed = 1, also when it has no fact at all); in a published cell, categories with fewer records are merged into n_other, and when n_other itself would come from fewer records the smallest remaining category is merged too. Figures are facts (counts included): n_facts and one n_&lt;category&gt; field per category (BY_CATEGORY).

The log gives the totals published and suppressed.</source>
            <translation>Exporte les faits comptés par cellule — carrés d'une grille de CELL_SIZE mètres (alignés sur les multiples de la taille dans le SCR de travail) ou SECTORS — et, au choix, par PERIOD (année, mois, semaine ISO ou jour), de sorte qu'aucun fait ne puisse être isolé.

Chaque chiffre publié provient d'au moins MIN_COUNT enregistrements de faits (lignes ; un enregistrement dont l'effectif vaut 3 reste un seul lieu et un seul moment) : une cellule qui en a moins est masquée (sur une grille elle n'est pas écrite ; un secteur est écrit avec des chiffres vides et suppressed = 1, y compris quand il n'a aucun fait) ; dans une cellule publiée, les catégories qui ont moins d'enregistrements sont regroupées dans n_other, et quand n_other lui-même proviendrait de moins d'enregistrements, la plus petite catégorie restante y est regroupée aussi. Les chiffres sont des faits (effectifs compris) : n_facts et un champ n_&lt;category&gt; par catégorie (BY_CATEGORY).

Le journal donne les totaux publiés et masqués.</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="120" />
            <location filename="../store/qgis_store.py" line="44" />
            <source>Facts</source>
            <translation>Faits</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="59" />
            <location filename="../processing/algorithms/import_layer.py" line="62" />
            <source>facts</source>
            <translation>faits</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="58" />
            <location filename="../processing/algorithms/model_options.py" line="59" />
            <source>Facts (for the background axis)</source>
            <translation>Faits (pour l'axe des incidents de fond)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="73" />
            <location filename="../processing/algorithms/score_events.py" line="62" />
            <location filename="../processing/algorithms/score_events.py" line="63" />
            <location filename="../processing/algorithms/sector_statistics.py" line="48" />
            <location filename="../processing/algorithms/sector_statistics.py" line="49" />
            <location filename="../processing/algorithms/trends.py" line="81" />
            <location filename="../vocabulary.py" line="97" />
            <source>Facts (incidents)</source>
            <translation>Faits (incidents)</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="125" />
            <source>Facts (last {} days)</source>
            <translation>Faits ({} derniers jours)</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="169" />
            <source>Facts by category (mean of the similar events, weighted)</source>
            <translation>Faits par catégorie (moyenne pondérée des événements similaires)</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="233" />
            <source>Facts count for an event when they lie at most this far from its footprint and happened within its time window.</source>
            <translation>Les faits comptent pour un événement s'ils se trouvent au plus à cette distance de son emprise et se sont produits dans sa fenêtre temporelle.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="589" />
            <source>Facts of the similar past events, by category</source>
            <translation>Faits des événements passés similaires, par catégorie</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="341" />
            <source>facts ≥</source>
            <translation>faits ≥</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="184" />
            <source>Facts: months of detail kept (0: all)</source>
            <translation>Faits : mois conservés en détail (0 : tout)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="98" />
            <source>Fairness audit</source>
            <translation>Audit d'équité</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="227" />
            <location filename="../gui/jobs.py" line="185" />
            <source>Fairness audit not computed: {}</source>
            <translation>Audit d'équité non calculé : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="37" />
            <source>Fairness audit per sector</source>
            <translation>Audit d'équité par secteur</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="110" />
            <source>Fairness control (drift between models)</source>
            <translation>Contrôle d'équité (dérive entre modèles)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="96" />
            <source>Fairness drift at the latest control in: {}</source>
            <translation>Dérive d'équité au dernier contrôle dans : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="90" />
            <location filename="../processing/algorithms/transparency.py" line="163" />
            <source>Fairness drift in: {}</source>
            <translation>Dérive d'équité dans : {}</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="102" />
            <source>Fairness drift since the last model in: {}</source>
            <translation>Dérive d'équité depuis le modèle précédent dans : {}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="127" />
            <source>Fairness per sector</source>
            <translation>Équité par secteur</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="45" />
            <source>Features</source>
            <translation>Entités</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="80" />
            <location filename="../processing/algorithms/import_layer.py" line="81" />
            <source>Features read</source>
            <translation>Entités lues</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="80" />
            <location filename="../processing/algorithms/import_layer.py" line="84" />
            <source>Features refused</source>
            <translation>Entités refusées</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="80" />
            <location filename="../processing/algorithms/import_layer.py" line="83" />
            <source>Features repaired</source>
            <translation>Entités réparées</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="80" />
            <location filename="../processing/algorithms/import_layer.py" line="82" />
            <source>Features taken</source>
            <translation>Entités reprises</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="59" />
            <source>Festival</source>
            <translation>Festival</translation>
        </message>
        <message>
            <location filename="../styles.py" line="474" />
            <source>Field '{}' of layer '{}' is not numeric.</source>
            <translation>Le champ « {} » de la couche « {} » n'est pas numérique.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="113" />
            <location filename="../processing/algorithms/score_events.py" line="114" />
            <source>Field '{}' of the events is replaced by the new value</source>
            <translation>Le champ « {} » des événements est remplacé par la nouvelle valeur</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="142" />
            <location filename="../processing/algorithms/predict_events.py" line="143" />
            <source>Field '{}' of the planned events is replaced by the new value</source>
            <translation>Le champ « {} » des événements prévus est remplacé par la nouvelle valeur</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="66" />
            <location filename="../processing/algorithms/import_layer.py" line="68" />
            <source>Field map (e.g. category=type_fait, occurred_at=date)</source>
            <translation>Correspondance des champs (ex. category=type_fait, occurred_at=date)</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="51" />
            <source>field of view in degrees</source>
            <translation>champ de vision en degrés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="107" />
            <source>FIELD_MAP: {}</source>
            <translation>FIELD_MAP : {}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="429" />
            <source>fields dropped: {}</source>
            <translation>champs abandonnés : {}</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="74" />
            <source>Fields of “{}”</source>
            <translation>Champs de « {} »</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="71" />
            <location filename="../processing/algorithms/import_layer.py" line="72" />
            <source>Fields to drop (comma-separated)</source>
            <translation>Champs à abandonner (séparés par des virgules)</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="254" />
            <source>fields to map: {}</source>
            <translation>champs à associer : {}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="137" />
            <source>Fields…</source>
            <translation>Champs…</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="79" />
            <source>Figure</source>
            <translation>Indicateur</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="72" />
            <source>Files written</source>
            <translation>Fichiers écrits</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="186" />
            <source>Find the similar past events and transfer their score (runs in the background)</source>
            <translation>Trouver les événements passés similaires et transférer leur score (en arrière-plan)</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="72" />
            <source>Fine</source>
            <translation>Verbalisation</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="40" />
            <source>First bad row</source>
            <translation>Première ligne fautive</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="83" />
            <source>Flag sectors whose police-initiated share is above</source>
            <translation>Signaler les secteurs dont la part d'initiative policière dépasse</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="87" />
            <source>Flowing</source>
            <translation>Fluide</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="46" />
            <source>fluide, dense, sature, ferme or inconnu</source>
            <translation>fluide, dense, sature, ferme ou inconnu</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="147" />
            <source>Folder for the algorithm notice</source>
            <translation>Dossier de la notice algorithmique</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="478" />
            <source>Folder of the backtest report</source>
            <translation>Dossier du rapport de test rétrospectif</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="80" />
            <source>Footprint</source>
            <translation>Emprise</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="114" />
            <source>Footprint area</source>
            <translation>Surface de l'emprise</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="52" />
            <source>For every sector and category, counts the facts of the recent window (the WINDOW_DAYS days before END; empty END: midnight after the latest fact) and compares them with a seasonal baseline: the same window in the previous PERIODS weeks (BASELINE weeks, same weekdays) or the same weeks of the previous PERIODS years (BASELINE years, 52 weeks back).

A sector and category is in alert when recent / baseline mean ≥ MIN_RATIO and the z-score (recent − mean) / sd ≥ MIN_Z and there are at least MIN_COUNT facts; sd is the baseline's standard deviation, never below the square root of its mean (Poisson). A sector is in alert when one of its categories or its total is, and driving_category names the alerting category with the largest excess.

OUTPUT is the sectors layer with these fields, styled (sectors in alert in red, labelled with their driving category); ratio is empty when the baseline is 0. OUTPUT_CELLS is the table per sector and category.</source>
            <translation>Pour chaque secteur et chaque catégorie, compte les faits de la fenêtre récente (les WINDOW_DAYS jours avant END ; END vide : minuit après le dernier fait) et les compare à une référence saisonnière : la même fenêtre les PERIODS semaines précédentes (BASELINE weeks, mêmes jours de la semaine) ou les mêmes semaines des PERIODS années précédentes (BASELINE years, 52 semaines en arrière).

Un secteur et une catégorie sont en alerte quand récent / moyenne de référence ≥ MIN_RATIO, que le z-score (récent − moyenne) / écart-type ≥ MIN_Z et qu'il y a au moins MIN_COUNT faits ; l'écart-type est celui de la référence, jamais inférieur à la racine carrée de sa moyenne (Poisson). Un secteur est en alerte quand l'une de ses catégories ou son total l'est, et driving_category nomme la catégorie en alerte qui a le plus grand excès.

OUTPUT est la couche des secteurs avec ces champs, stylée (secteurs en alerte en rouge, étiquetés avec leur catégorie motrice) ; ratio est vide quand la référence vaut 0. OUTPUT_CELLS est la table par secteur et catégorie.</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="180" />
            <source>For shapely, prefer the one your QGIS package provides: a shapely wheel from pip brings its own GEOS, which can clash with the GEOS QGIS loads (crashes seen on Linux). If you must, build it against QGIS's GEOS: {}</source>
            <translation>Pour shapely, préférez celui que fournit votre paquet QGIS : une roue shapely installée par pip apporte son propre GEOS, qui peut entrer en conflit avec celui que charge QGIS (plantages constatés sous Linux). S'il le faut, compilez-le avec le GEOS de QGIS : {}</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="152" />
            <source>found from the sectors when empty</source>
            <translation>déduit des secteurs si vide</translation>
        </message>
        <message>
            <location filename="../report/memory.py" line="43" />
            <source>Frame '{}' has neither a geometry column nor x/y columns.</source>
            <translation>La table « {} » n'a ni colonne de géométrie ni colonnes x/y.</translation>
        </message>
        <message>
            <location filename="../report/memory.py" line="82" />
            <source>Frame '{}' holds {} geometry types; one layer cannot hold them.</source>
            <translation>La table « {} » contient {} types de géométrie ; une seule couche ne peut pas les contenir.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="66" />
            <location filename="../processing/algorithms/transparency.py" line="67" />
            <source>French</source>
            <translation>Français</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="66" />
            <location filename="../processing/algorithms/transparency.py" line="67" />
            <source>French and English</source>
            <translation>Français et anglais</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="71" />
            <source>From a database or web service</source>
            <translation>Depuis une base de données ou un service web</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="70" />
            <source>From files…</source>
            <translation>Depuis des fichiers…</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="220" />
            <source>from the {} most similar of {} past events that started before it</source>
            <translation>à partir des {} plus similaires parmi {} événements passés ayant commencé avant lui</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="397" />
            <source>from {} similar past events</source>
            <translation>à partir de {} événements passés similaires</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="395" />
            <source>from {} similar past events among {}</source>
            <translation>à partir de {} événements passés similaires parmi {}</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="56" />
            <source>Gathering</source>
            <translation>Rassemblement</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="49" />
            <source>Generating the city</source>
            <translation>Génération de la ville</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="79" />
            <source>geometry moved</source>
            <translation>géométrie déplacée</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="360" />
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="274" />
            <location filename="../gui/data_panel.py" line="366" />
            <location filename="../gui/data_panel.py" line="373" />
            <location filename="../processing/algorithms/make_demo_city.py" line="40" />
            <location filename="../processing/algorithms/make_demo_city.py" line="41" />
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="76" />
            <source>Grid cell size (m)</source>
            <translation>Taille des cellules de la grille (m)</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="30" />
            <source>has no role on this store: it may not even read it</source>
            <translation>n'a aucun rôle sur cet entrepôt : il ne peut même pas le lire</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="42" />
            <source>Head hash</source>
            <translation>Empreinte de tête</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="38" />
            <source>Hit rate of the top 10 %</source>
            <translation>Taux de détection des 10 % supérieurs</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="39" />
            <source>Hit rate of the top 20 %</source>
            <translation>Taux de détection des 20 % supérieurs</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="37" />
            <source>Hit rate of the top 5 %</source>
            <translation>Taux de détection des 5 % supérieurs</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="208" />
            <location filename="../processing/algorithms/score_events.py" line="68" />
            <source>Hours after the end</source>
            <translation>Heures après la fin</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="41" />
            <source>Hours after the end used by the score</source>
            <translation>Heures après la fin prises en compte par le score</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="207" />
            <location filename="../processing/algorithms/score_events.py" line="67" />
            <source>Hours before the start</source>
            <translation>Heures avant le début</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="40" />
            <source>Hours before the start used by the score</source>
            <translation>Heures avant le début prises en compte par le score</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="316" />
            <source>How many past weeks or years make the baseline</source>
            <translation>Nombre de semaines ou d'années passées qui forment la référence</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="35" />
            <source>identical facts at that place and time (1 when absent)</source>
            <translation>faits identiques en ce lieu et à ce moment (1 si absent)</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="126" />
            <source>Identifier</source>
            <translation>Identifiant</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="130" />
            <source>Import cancelled: the store is unchanged</source>
            <translation>Import annulé : l'entrepôt est inchangé</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="132" />
            <source>Import failed, the store is unchanged: {}</source>
            <translation>Échec de l'import, l'entrepôt est inchangé : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="25" />
            <source>Import layer into the store</source>
            <translation>Importer une couche dans l'entrepôt</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="87" />
            <source>Import report</source>
            <translation>Rapport d'import</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="176" />
            <source>Importance of the axes</source>
            <translation>Importance des axes</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="117" />
            <source>Importing '{}' as {} into {}</source>
            <translation>Import de « {} » comme {} dans {}</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="147" />
            <source>Importing “{}” as {}</source>
            <translation>Import de « {} » comme {}</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="33" />
            <source>incident category code</source>
            <translation>code de catégorie de l'incident</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="46" />
            <source>Input layers</source>
            <translation>Couches en entrée</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="171" />
            <source>Install the others in the OSGeo4W Shell with: {}</source>
            <translation>Installez les autres dans l'OSGeo4W Shell avec : {}</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="156" />
            <source>Install them in a terminal with: {} — then restart QGIS.</source>
            <translation>Installez-les dans un terminal avec : {} — puis redémarrez QGIS.</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="177" />
            <source>Install them with the Python inside QGIS (QGIS's Python console shows its path: import sys; sys.executable): {} —</source>
            <translation>Installez-les avec le Python de QGIS (la console Python de QGIS donne son chemin : import sys; sys.executable) : {} —</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="186" />
            <source>Install them with your distribution's packages ({}); avoid pip wheels of shapely, which bring a second GEOS that can crash QGIS.</source>
            <translation>Installez-les avec les paquets de votre distribution ({}) ; évitez les roues pip de shapely, qui apportent un second GEOS pouvant faire planter QGIS.</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="169" />
            <source>Install {} with the OSGeo4W installer (Advanced Install).</source>
            <translation>Installez {} avec l'installateur OSGeo4W (installation avancée).</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="75" />
            <source>Intervention</source>
            <translation>Intervention</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="56" />
            <location filename="../gui/layers.py" line="213" />
            <location filename="../gui/planned.py" line="223" />
            <location filename="../report/memory.py" line="49" />
            <location filename="../store/qgis_store.py" line="50" />
            <source>itineraries</source>
            <translation>itinéraires</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="334" />
            <source>itineraries widened by {} m</source>
            <translation>itinéraires élargis de {} m</translation>
        </message>
        <message>
            <location filename="../gui/footprint_tool.py" line="58" />
            <source>Itinerary</source>
            <translation>Itinéraire</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="43" />
            <location filename="../processing/algorithms/score_events.py" line="72" />
            <location filename="../processing/algorithms/score_events.py" line="73" />
            <source>Itinerary footprint half-width (m)</source>
            <translation>Demi-largeur de l'emprise d'un itinéraire (m)</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="209" />
            <source>Itinerary half-width</source>
            <translation>Demi-largeur d'un itinéraire</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="305" />
            <source>Itinerary of {}; scored on a strip {} m either side</source>
            <translation>Itinéraire de {} ; scoré sur une bande de {} m de part et d'autre</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="59" />
            <location filename="../processing/algorithms/import_layer.py" line="61" />
            <source>Kind of layer</source>
            <translation>Type de couche</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="66" />
            <source>Languages</source>
            <translation>Langues</translation>
        </message>
        <message>
            <location filename="../gui/tasks.py" line="142" />
            <source>Layer '{}' could not be opened again from its source</source>
            <translation>La couche « {} » n'a pas pu être rouverte depuis sa source</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="101" />
            <source>layer '{}' has no event with a score</source>
            <translation>la couche « {} » n'a aucun événement avec un score</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/sector_statistics.py" line="61" />
            <location filename="../processing/algorithms/sector_statistics.py" line="62" />
            <source>layer '{}' has no field 'score': run Score events first</source>
            <translation>la couche « {} » n'a pas de champ « score » : lancez d'abord Scorer les événements</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="206" />
            <source>Layer '{}' has no field '{}' to find the similar events in.</source>
            <translation>La couche « {} » n'a pas de champ « {} » pour y trouver les événements similaires.</translation>
        </message>
        <message>
            <location filename="../styles.py" line="468" />
            <location filename="../styles.py" line="469" />
            <source>Layer '{}' has no field '{}' to grade its sectors by (fields: {}).</source>
            <translation>La couche « {} » n'a pas de champ « {} » pour graduer ses secteurs (champs : {}).</translation>
        </message>
        <message>
            <location filename="../temporal.py" line="19" />
            <source>Layer '{}' has no field '{}': its facts cannot be played back in time.</source>
            <translation>La couche « {} » n'a pas de champ « {} » : ses faits ne peuvent pas être rejoués dans le temps.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="110" />
            <location filename="../processing/algorithms/fairness_audit.py" line="111" />
            <source>layer '{}' has no field '{}': run Score events first</source>
            <translation>la couche « {} » n'a pas de champ « {} » : lancez d'abord Scorer les événements</translation>
        </message>
        <message>
            <location filename="../styles.py" line="781" />
            <source>Layer '{}' is not a valid vector layer.</source>
            <translation>La couche « {} » n'est pas une couche vecteur valide.</translation>
        </message>
        <message>
            <location filename="../report/render.py" line="359" />
            <source>Layer '{}' is not valid and cannot be rendered.</source>
            <translation>La couche « {} » n'est pas valide et ne peut pas être dessinée.</translation>
        </message>
        <message>
            <location filename="../gui/layers.py" line="41" />
            <source>Layer '{}' keeps its default style: {}</source>
            <translation>La couche « {} » garde son style par défaut : {}</translation>
        </message>
        <message>
            <location filename="../gui/jobs.py" line="170" />
            <source>Layer '{}' was not used: {}</source>
            <translation>La couche « {} » n'a pas été utilisée : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="56" />
            <location filename="../processing/algorithms/import_layer.py" line="57" />
            <source>Layer to import</source>
            <translation>Couche à importer</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/base.py" line="105" />
            <location filename="../processing/algorithms/model_options.py" line="77" />
            <location filename="../processing/algorithms/predict_events.py" line="104" />
            <source>Layer {} could not be opened</source>
            <translation>La couche {} n'a pas pu être ouverte</translation>
        </message>
        <message>
            <location filename="../store/qgis_store.py" line="68" />
            <source>Layer {} of store {} cannot be opened</source>
            <translation>La couche {} de l'entrepôt {} ne peut pas être ouverte</translation>
        </message>
        <message>
            <location filename="../gui/layers.py" line="145" />
            <source>Layer “{}” could not be opened ({})</source>
            <translation>La couche « {} » n'a pas pu être ouverte ({})</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="118" />
            <source>Layers of the observatory</source>
            <translation>Couches de l'observatoire</translation>
        </message>
        <message>
            <location filename="../report/render.py" line="378" />
            <source>Legend</source>
            <translation>Légende</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="389" />
            <source>likely band (10 % – 90 %)</source>
            <translation>fourchette probable (10 % – 90 %)</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="217" />
            <source>likely between {} and {} (10 %–90 % of the similar events)</source>
            <translation>probablement entre {} et {} (10 %–90 % des événements similaires)</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="215" />
            <source>likely between {} and {} (calibrated 10 %–90 % band)</source>
            <translation>probablement entre {} et {} (fourchette 10 %–90 % calibrée)</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="468" />
            <source>Load a model</source>
            <translation>Charger un modèle</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="171" />
            <source>Load…</source>
            <translation>Charger…</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="108" />
            <source>Location</source>
            <translation>Localisation</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="45" />
            <location filename="../processing/algorithms/model_options.py" line="47" />
            <source>Log space (weighted geometric mean)</source>
            <translation>En logarithme (moyenne géométrique pondérée)</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="71" />
            <source>Logbook entry</source>
            <translation>Main courante</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="61" />
            <source>Logged in as {login} ({role}): {words}</source>
            <translation>Connecté en tant que {login} ({role}) : {words}</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="36" />
            <source>MAE of log(1 + score) (lower is better)</source>
            <translation>Erreur absolue moyenne de log(1 + score) (plus bas est meilleur)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="16" />
            <source>Make demo city</source>
            <translation>Créer la ville de démonstration</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="91" />
            <source>Make demo city…</source>
            <translation>Créer la ville de démonstration…</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="138" />
            <source>Map the layer's fields onto the contract</source>
            <translation>Faire correspondre les champs de la couche au contrat</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="60" />
            <source>March, parade</source>
            <translation>Marche, défilé</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="99" />
            <location filename="../processing/algorithms/fairness_audit.py" line="100" />
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="29" />
            <source>may do everything, including changing the store's structure and roles</source>
            <translation>peut tout faire, y compris changer la structure et les rôles de l'entrepôt</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="24" />
            <source>may view the layers, compute scores and predictions and append its own audit rows; may not edit, import, write scores or save models</source>
            <translation>peut consulter les couches, calculer scores et prédictions et ajouter ses propres lignes d'audit ; ne peut ni modifier, ni importer, ni écrire de scores, ni enregistrer de modèles</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="26" />
            <source>may view, compute and edit traffic axes, events, planned events and cameras; may not import, write scores or save models</source>
            <translation>peut consulter, calculer et modifier les axes de circulation, les événements, les événements prévus et les caméras ; ne peut ni importer, ni écrire de scores, ni enregistrer de modèles</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="28" />
            <source>may view, compute, edit, import layers, write scores, change the store's settings and save models</source>
            <translation>peut consulter, calculer, modifier, importer des couches, écrire des scores, changer les paramètres de l'entrepôt et enregistrer des modèles</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="42" />
            <source>Measures how good the transfer is. The forest is trained once on the scored events that started before CUT_DATE (local time), then every event that started on or after it is predicted from those past events only. The report compares the transfer with three baselines — the global mean, the mean of the same nature and sector, and the 20 nearest neighbours on the standardised axes — on Spearman rank correlation, mean absolute error of log(1 + score), top-decile hit rate (share of the true 10 % highest events found in the predicted 10 % highest) and, per nature, a PAI-style hit rate.

By default the transfer is the published method. With COMPARE (and FACTS for the background axis, WEATHER for the weather axis) an enriched configuration is trained and tested on the same events: context axes, settings chosen by auto mode inside the training period, conformal band. The report then gives both side by side with the difference and a paired bootstrap 95 % interval on it, hit rates and PAI at 5, 10 and 20 %, the band's coverage and sides, and a calibration chart. The other options set the first configuration (see 'Train the similarity model').

OUTPUT_REPORT is a folder: report.md (Markdown, readable as text), PNG charts and predictions.csv.</source>
            <translation>Mesure la qualité du transfert. La forêt est entraînée une fois sur les événements scorés qui ont commencé avant CUT_DATE (heure locale), puis chaque événement commencé à cette date ou après est prédit à partir de ces seuls événements passés. Le rapport compare le transfert à trois références — la moyenne globale, la moyenne de même nature et même secteur, et les 20 plus proches voisins sur les axes standardisés — selon la corrélation de rang de Spearman, l'erreur absolue moyenne de log(1 + score), le taux de détection du décile supérieur (part des 10 % d'événements réellement les plus élevés retrouvés parmi les 10 % prédits les plus élevés) et, par nature, un taux de détection de type PAI.

Par défaut, le transfert est la méthode publiée. Avec COMPARE (et FACTS pour l'axe des incidents de fond, WEATHER pour l'axe météo), une configuration enrichie est entraînée et testée sur les mêmes événements : axes de contexte, réglages choisis par le mode auto à l'intérieur de la période d'entraînement, fourchette conforme. Le rapport les donne alors côte à côte avec la différence et un intervalle bootstrap apparié à 95 %, les taux de détection et le PAI à 5, 10 et 20 %, la couverture de la fourchette et ses deux côtés, et un graphique de calibration. Les autres options règlent la première configuration (voir « Entraîner le modèle de similarité »).

OUTPUT_REPORT est un dossier : report.md (Markdown, lisible comme du texte), des graphiques PNG et predictions.csv.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="172" />
            <source>Minimisation: facts (and past events, when a retention is set for them) older than their layer kind's retention are turned into counts per sector × month × category (the fact's category, the event's nature) and their detail is deleted, in one transaction with its audit row. Trends over the retained period and the stored event scores (hence backtests) keep working. FACTS_MONTHS and EVENTS_MONTHS (0: keep everything) are saved as the store's retention setting, which the record of processing declares; left empty, the store's setting applies (default: facts 60 months, events kept).</source>
            <translation>Minimisation : les faits (et les événements passés, quand une durée est fixée pour eux) plus anciens que la durée de conservation de leur type de couche sont transformés en comptages par secteur × mois × catégorie (la catégorie du fait, la nature de l'événement) et leur détail est supprimé, en une seule transaction avec sa ligne d'audit. Les tendances sur la période conservée et les scores enregistrés des événements (donc les backtests) continuent de fonctionner. FACTS_MONTHS et EVENTS_MONTHS (0 : tout garder) sont enregistrés comme réglage de conservation du magasin, que déclare le registre du traitement ; laissés vides, le réglage du magasin s'applique (par défaut : faits 60 mois, événements conservés).</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="213" />
            <location filename="../processing/algorithms/helpers.py" line="28" />
            <source>Minimum events per leaf</source>
            <translation>Nombre minimal d'événements par feuille</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="91" />
            <source>Minimum events per leaf (backtest)</source>
            <translation>Nombre minimal d'événements par feuille (test rétrospectif)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="80" />
            <source>Minimum fact records per published figure</source>
            <translation>Nombre minimal d'enregistrements de faits par chiffre publié</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="75" />
            <location filename="../processing/algorithms/import_layer.py" line="76" />
            <source>Mode</source>
            <translation>Mode</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="48" />
            <source>Model</source>
            <translation>Modèle</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="65" />
            <location filename="../processing/algorithms/predict_events.py" line="67" />
            <location filename="../processing/algorithms/train_model.py" line="64" />
            <source>Model file</source>
            <translation>Fichier du modèle</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="64" />
            <location filename="../processing/algorithms/transparency.py" line="129" />
            <source>Model file (default: the store's model)</source>
            <translation>Fichier du modèle (par défaut : le modèle du magasin)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="84" />
            <location filename="../processing/algorithms/train_model.py" line="65" />
            <source>Model fingerprint</source>
            <translation>Empreinte du modèle</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="620" />
            <source>Model fingerprint: {}</source>
            <translation>Empreinte du modèle : {}</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="124" />
            <source>Model saved to {}</source>
            <translation>Modèle enregistré dans {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="119" />
            <location filename="../processing/algorithms/train_model.py" line="120" />
            <source>Model trained on {} events ({} – {}) in {:.1f} s; fingerprint {}</source>
            <translation>Modèle entraîné sur {} événements ({} – {}) en {:.1f} s ; empreinte {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="97" />
            <location filename="../processing/algorithms/predict_events.py" line="98" />
            <source>Model {}: {} past events ({} – {}), {} trees</source>
            <translation>Modèle {} : {} événements passés ({} – {}), {} arbres</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="81" />
            <location filename="../processing/algorithms/export_aggregated.py" line="83" />
            <source>month</source>
            <translation>mois</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="240" />
            <source>More trees give steadier similarities; training and estimating take longer.</source>
            <translation>Plus d'arbres donnent des similarités plus stables ; l'entraînement et l'estimation prennent plus de temps.</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="44" />
            <source>name</source>
            <translation>nom</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="132" />
            <location filename="../gui/results_panel.py" line="41" />
            <location filename="../report/event_sheet.py" line="447" />
            <location filename="../vocabulary.py" line="110" />
            <source>Nature</source>
            <translation>Nature</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="38" />
            <source>nature code (manifestation, concert, …)</source>
            <translation>code de nature (manifestation, concert, …)</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="74" />
            <source>New</source>
            <translation>Nouveau</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="366" />
            <source>New observatory store</source>
            <translation>Nouvel entrepôt d'observatoire</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="102" />
            <source>New…</source>
            <translation>Nouveau…</translation>
        </message>
        <message>
            <location filename="../styles.py" line="746" />
            <location filename="../styles.py" line="747" />
            <source>no alert</source>
            <translation>pas d'alerte</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="393" />
            <source>no band: no score could be transferred</source>
            <translation>pas de fourchette : aucun score n'a pu être transféré</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="234" />
            <source>No clash with other planned events, works or closed traffic axes.</source>
            <translation>Aucun conflit avec d'autres événements prévus, des travaux ou des axes de circulation fermés.</translation>
        </message>
        <message>
            <location filename="../styles.py" line="445" />
            <source>no data</source>
            <translation>sans donnée</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="171" />
            <source>No fact around the similar events.</source>
            <translation>Aucun fait autour des événements similaires.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="606" />
            <source>No facts by category to chart.</source>
            <translation>Aucun fait par catégorie à représenter.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="111" />
            <source>No FACTS layer: the enriched configuration goes without the background axis</source>
            <translation>Pas de couche FACTS : la configuration enrichie se passe de l'axe des incidents de fond</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="137" />
            <source>No fairness control yet: it runs at every training.</source>
            <translation>Pas encore de contrôle d'équité : il a lieu à chaque apprentissage.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="99" />
            <source>No field 'score_detail': the explanation will not show facts by category</source>
            <translation>Pas de champ « score_detail » : l'explication ne montrera pas les faits par catégorie</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="114" />
            <source>No footprint drawn yet.</source>
            <translation>Aucune emprise dessinée pour l'instant.</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="296" />
            <source>No footprint drawn yet: choose Point, Itinerary or Area, then click on the map.</source>
            <translation>Aucune emprise dessinée pour l'instant : choisissez Point, Itinéraire ou Zone, puis cliquez sur la carte.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="566" />
            <source>No footprint to map.</source>
            <translation>Aucune emprise à cartographier.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="325" />
            <source>No layer chosen yet: open the observatory or add layers first.</source>
            <translation>Aucune couche choisie pour l'instant : ouvrez d'abord l'observatoire ou ajoutez des couches.</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="251" />
            <source>No model file: proximities are not shown.</source>
            <translation>Pas de fichier de modèle : les proximités ne sont pas affichées.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="93" />
            <source>No model in the store and none given: the notice gives no parameters</source>
            <translation>Aucun modèle dans le magasin ni donné : la notice ne donne pas de paramètres</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="120" />
            <source>No model to save: train one first</source>
            <translation>Aucun modèle à enregistrer : entraînez-en d'abord un</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="440" />
            <location filename="../gui/data_panel.py" line="441" />
            <source>No model yet: it is trained on the facts and past events when you first estimate a score, or with “Score and train”.</source>
            <translation>Pas encore de modèle : il est entraîné sur les faits et les événements passés à la première estimation d'un score, ou avec « Scorer et entraîner ».</translation>
        </message>
        <message>
            <location filename="../gui/jobs.py" line="149" />
            <source>No model: choose the facts and past events layers first</source>
            <translation>Pas de modèle : choisissez d'abord les couches des faits et des événements passés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/base.py" line="210" />
            <source>No observatory store among the inputs: the audit row is only logged</source>
            <translation>Aucun entrepôt d'observatoire parmi les entrées : la ligne d'audit est seulement journalisée</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="198" />
            <source>No observatory store is open</source>
            <translation>Aucun entrepôt d'observatoire n'est ouvert</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="51" />
            <source>No offline copy made: {}</source>
            <translation>Aucune copie hors ligne faite : {}</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="74" />
            <location filename="../gui/results_panel.py" line="75" />
            <source>No result yet. Draw a planned event in the Event tab and press “Estimate the score”: the similar past events and their score appear here.</source>
            <translation>Pas encore de résultat. Dessinez un événement prévu dans l'onglet Événement et cliquez sur « Estimer le score » : les événements passés similaires et leur score s'affichent ici.</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="61" />
            <location filename="../gui/access.py" line="62" />
            <source>no role</source>
            <translation>aucun rôle</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="219" />
            <source>no score could be transferred</source>
            <translation>aucun score n'a pu être transféré</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="248" />
            <source>No sector gets more than {} of its score from police-initiated facts.</source>
            <translation>Aucun secteur ne tire plus de {} de son score de faits d'initiative policière.</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="420" />
            <source>No sector in alert.</source>
            <translation>Aucun secteur en alerte.</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="382" />
            <source>No setting changed.</source>
            <translation>Aucun paramètre n'a changé.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="487" />
            <source>No similar past event.</source>
            <translation>Aucun événement passé similaire.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="344" />
            <location filename="../gui/data_panel.py" line="345" />
            <source>No store open: “Check” checks the layers against the contract without storing them. Create or open a store to import them into it.</source>
            <translation>Aucun entrepôt ouvert : « Vérifier » contrôle les couches au regard du contrat sans les enregistrer. Créez ou ouvrez un entrepôt pour les y importer.</translation>
        </message>
        <message>
            <location filename="../gui/jobs.py" line="265" />
            <source>No usable fact in layer '{}'</source>
            <translation>Aucun fait utilisable dans la couche « {} »</translation>
        </message>
        <message>
            <location filename="../gui/jobs.py" line="77" />
            <source>No usable past event in layer '{}'</source>
            <translation>Aucun événement passé utilisable dans la couche « {} »</translation>
        </message>
        <message>
            <location filename="../gui/jobs.py" line="263" />
            <source>No usable sector in layer '{}'</source>
            <translation>Aucun secteur utilisable dans la couche « {} »</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="81" />
            <location filename="../processing/algorithms/export_aggregated.py" line="83" />
            <source>none</source>
            <translation>aucun</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="343" />
            <location filename="../report/event_sheet.py" line="620" />
            <source>not given</source>
            <translation>non renseigné</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="174" />
            <source>not predicted</source>
            <translation>non prédit</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="136" />
            <source>not scored</source>
            <translation>non scoré</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="92" />
            <source>Nothing pushed: {}</source>
            <translation>Rien n'a été renvoyé : {}</translation>
        </message>
        <message>
            <location filename="../report/render.py" line="356" />
            <source>Nothing to render: no layer was given.</source>
            <translation>Rien à dessiner : aucune couche n'a été donnée.</translation>
        </message>
        <message>
            <location filename="../report/render.py" line="408" />
            <source>Nothing to render: the layers have no feature.</source>
            <translation>Rien à dessiner : les couches n'ont aucune entité.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="70" />
            <source>Notice (PDF, first language)</source>
            <translation>Notice (PDF, première langue)</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="79" />
            <source>Nuisance</source>
            <translation>Nuisance</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="37" />
            <source>Number of facts</source>
            <translation>Nombre de faits</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="36" />
            <source>Number of past events</source>
            <translation>Nombre d'événements passés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="92" />
            <source>Number of past weeks or years</source>
            <translation>Nombre de semaines ou d'années passées</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="71" />
            <location filename="../processing/algorithms/backtest.py" line="72" />
            <location filename="../processing/algorithms/predict_events.py" line="73" />
            <location filename="../processing/algorithms/predict_events.py" line="74" />
            <source>Number of similar past events (k)</source>
            <translation>Nombre d'événements passés similaires (k)</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="212" />
            <location filename="../processing/algorithms/helpers.py" line="27" />
            <source>Number of trees</source>
            <translation>Nombre d'arbres</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="90" />
            <source>Number of trees (backtest)</source>
            <translation>Nombre d'arbres (test rétrospectif)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/base.py" line="50" />
            <location filename="../processing/algorithms/create_store.py" line="22" />
            <location filename="../processing/algorithms/import_layer.py" line="27" />
            <location filename="../processing/algorithms/make_demo_city.py" line="18" />
            <location filename="../processing/algorithms/offline.py" line="20" />
            <location filename="../processing/algorithms/offline.py" line="60" />
            <location filename="../processing/algorithms/transparency.py" line="47" />
            <location filename="../processing/algorithms/transparency.py" line="171" />
            <location filename="../processing/algorithms/verify_audit.py" line="20" />
            <source>Observatory</source>
            <translation>Observatoire</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="91" />
            <source>Observatory store</source>
            <translation>Entrepôt de l'observatoire</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="58" />
            <source>Observatory store {} open</source>
            <translation>Entrepôt de l'observatoire {} ouvert</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="61" />
            <source>Observed</source>
            <translation>Observé</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="303" />
            <source>Off: the city's published method (SPEC §4). The backtest compares both configurations.</source>
            <translation>Désactivé : la méthode publiée par la ville (SPEC §4). Le backtest compare les deux configurations.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="34" />
            <source>Offline copy</source>
            <translation>Copie hors ligne</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="73" />
            <source>Offline copy (.gpkg)</source>
            <translation>Copie hors ligne (.gpkg)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="52" />
            <source>Offline copy written to {} ({} audit rows)</source>
            <translation>Copie hors ligne écrite dans {} ({} lignes d'audit)</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="158" />
            <source>On Debian 12, pandas and shapely are too old, pip install --user is refused (externally managed environment) and a shapely wheel brings a second GEOS that crashes QGIS. Use the project's virtual environment: in the plugin's source folder, run {} (it builds shapely against Debian's GEOS and starts QGIS with it). Debian 13 and Ubuntu 24.04 or later need only: {}</source>
            <translation>Sous Debian 12, pandas et shapely sont trop anciens, pip install --user y est refusé (environnement géré par le système) et une roue shapely apporte un second GEOS qui fait planter QGIS. Utilisez l'environnement virtuel du projet : dans le dossier source de l'extension, lancez {} (il compile shapely avec le GEOS de Debian et démarre QGIS avec). Debian 13 et Ubuntu 24.04 ou plus récent n'ont besoin que de : {}</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="405" />
            <source>On the map</source>
            <translation>Sur la carte</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="86" />
            <source>One figure per category</source>
            <translation>Un chiffre par catégorie</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="127" />
            <source>Only the published configuration was tested.</source>
            <translation>Seule la configuration publiée a été testée.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="109" />
            <source>Open (or create) the shared store of a supervision centre in PostgreSQL/PostGIS</source>
            <translation>Ouvrir (ou créer) l'entrepôt partagé d'un centre de supervision dans PostgreSQL/PostGIS</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="70" />
            <source>Open a planned event saved earlier to change it</source>
            <translation>Ouvrir un événement prévu enregistré auparavant pour le modifier</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="135" />
            <source>Open a store: each training is compared with the previous one (fairness per sector).</source>
            <translation>Ouvrez un magasin : chaque apprentissage est comparé au précédent (équité par secteur).</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="274" />
            <source>Open an observatory</source>
            <translation>Ouvrir un observatoire</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="391" />
            <source>Open an observatory (or choose the facts and sectors layers in the Data tab) to compute the trends.</source>
            <translation>Ouvrez un observatoire (ou choisissez les couches de faits et de secteurs dans l'onglet Données) pour calculer les tendances.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="61" />
            <source>Open an observatory GeoPackage: every layer is loaded, styled and mapped</source>
            <translation>Ouvrir un GeoPackage d'observatoire : chaque couche est chargée, stylée et associée au contrat</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="373" />
            <source>Open an observatory store</source>
            <translation>Ouvrir un entrepôt d'observatoire</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="60" />
            <source>Open observatory…</source>
            <translation>Ouvrir un observatoire…</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="202" />
            <location filename="../gui/data_panel.py" line="203" />
            <source>Open the observatory or add layers, choose which layer is which, then check and import them. The report of each import appears here.</source>
            <translation>Ouvrez l'observatoire ou ajoutez des couches, indiquez quelle couche est laquelle, puis vérifiez-les et importez-les. Le rapport de chaque import s'affiche ici.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="106" />
            <source>Open the observatory store of a GeoPackage</source>
            <translation>Ouvrir l'entrepôt d'observatoire d'un GeoPackage</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="105" />
            <source>Open…</source>
            <translation>Ouvrir…</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="44" />
            <source>Operation</source>
            <translation>Opération</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="249" />
            <source>optional</source>
            <translation>facultatif</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="64" />
            <location filename="../vocabulary.py" line="80" />
            <source>Other</source>
            <translation>Autre</translation>
        </message>
        <message>
            <location filename="../styles.py" line="289" />
            <location filename="../styles.py" line="683" />
            <source>Other categories</source>
            <translation>Autres catégories</translation>
        </message>
        <message>
            <location filename="../styles.py" line="258" />
            <location filename="../styles.py" line="687" />
            <source>Other natures</source>
            <translation>Autres natures</translation>
        </message>
        <message>
            <location filename="../styles.py" line="275" />
            <location filename="../styles.py" line="685" />
            <source>Other status (unknown)</source>
            <translation>Autre état (inconnu)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="69" />
            <source>Output folder</source>
            <translation>Dossier de sortie</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="40" />
            <source>PAI of the top 10 % (1 = chance)</source>
            <translation>PAI des 10 % supérieurs (1 = hasard)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="47" />
            <source>Parameters</source>
            <translation>Paramètres</translation>
        </message>
        <message>
            <location filename="../attachments.py" line="90" />
            <location filename="../gui/event_panel.py" line="139" />
            <location filename="../vocabulary.py" line="109" />
            <source>Participants</source>
            <translation>Participants</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="117" />
            <location filename="../vocabulary.py" line="98" />
            <source>Past events</source>
            <translation>Événements passés</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="117" />
            <source>Past events (last {} days)</source>
            <translation>Événements passés ({} derniers jours)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="66" />
            <source>Past events in the model</source>
            <translation>Événements passés du modèle</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="613" />
            <source>Past events that started before this one, most similar first. Proximity: share of the model's trees in which the past event falls in the same leaf as this one. The transferred score is the proximity-weighted mean of their scores.</source>
            <translation>Événements passés ayant commencé avant celui-ci, les plus similaires en premier. Proximité : part des arbres du modèle dans lesquels l'événement passé tombe dans la même feuille que celui-ci. Le score transféré est la moyenne de leurs scores pondérée par la proximité.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="186" />
            <source>Past events: months of detail kept (0: all)</source>
            <translation>Événements passés : mois conservés en détail (0 : tout)</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="340" />
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="81" />
            <location filename="../processing/algorithms/export_aggregated.py" line="82" />
            <source>Per period</source>
            <translation>Par période</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="289" />
            <location filename="../gui/audit_panel.py" line="290" />
            <source>Per sector and category, the facts of the recent window against the same window in the past (seasonal baseline). A sector is in alert when one of its categories meets all three conditions.</source>
            <translation>Par secteur et par catégorie, les faits de la fenêtre récente comparés à la même fenêtre dans le passé (référence saisonnière). Un secteur est en alerte quand l'une de ses catégories remplit les trois conditions.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="415" />
            <source>personal data: {}</source>
            <translation>données personnelles : {}</translation>
        </message>
        <message>
            <location filename="../attachments.py" line="115" />
            <location filename="../gui/event_panel.py" line="157" />
            <location filename="../gui/event_panel.py" line="313" />
            <location filename="../gui/event_panel.py" line="314" />
            <source>Photos and videos</source>
            <translation>Photos et vidéos</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="313" />
            <location filename="../gui/event_panel.py" line="314" />
            <source>Photos and videos ({});;All files (*)</source>
            <translation>Photos et vidéos ({});;Tous les fichiers (*)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="101" />
            <source>PLANNED applies to events only</source>
            <translation>PLANNED ne s'applique qu'aux événements</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="67" />
            <location filename="../report/event_sheet.py" line="232" />
            <source>Planned event</source>
            <translation>Événement prévu</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="195" />
            <source>planned event</source>
            <translation>événement prévu</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="244" />
            <source>Planned event &lt;b&gt;{}&lt;/b&gt; ({}) from {} to {}</source>
            <translation>Événement prévu &lt;b&gt;{}&lt;/b&gt; ({}) du {} au {}</translation>
        </message>
        <message>
            <location filename="../gui/controller.py" line="199" />
            <location filename="../gui/jobs.py" line="157" />
            <location filename="../gui/planned.py" line="84" />
            <location filename="../gui/planned.py" line="85" />
            <source>planned event {}</source>
            <translation>événement prévu {}</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="107" />
            <location filename="../report/sheet.py" line="108" />
            <source>Planned event {} ({}) from {} to {} meets the footprint</source>
            <translation>L'événement prévu {} ({}) du {} au {} touche l'emprise</translation>
        </message>
        <message>
            <location filename="../gui/layers.py" line="253" />
            <source>Planned event {} not saved: {}</source>
            <translation>Événement prévu {} non enregistré : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="131" />
            <location filename="../processing/algorithms/predict_events.py" line="132" />
            <source>Planned event {}: in sector {}, {:.0%} of the past score comes from police-initiated facts (fairness audit)</source>
            <translation>Événement prévu {} : dans le secteur {}, {:.0%} du score passé vient de faits d'initiative policière (audit d'équité)</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="135" />
            <source>Planned event {}: {}</source>
            <translation>Événement prévu {} : {}</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="109" />
            <location filename="../demo_render.py" line="195" />
            <location filename="../gui/planned.py" line="169" />
            <location filename="../processing/algorithms/predict_events.py" line="70" />
            <location filename="../processing/algorithms/predict_events.py" line="71" />
            <location filename="../store/qgis_store.py" line="45" />
            <location filename="../vocabulary.py" line="102" />
            <source>Planned events</source>
            <translation>Événements prévus</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="75" />
            <source>Planned events added</source>
            <translation>Événements prévus ajoutés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="82" />
            <source>Planned events with their transferred score</source>
            <translation>Événements prévus avec leur score transféré</translation>
        </message>
        <message>
            <location filename="../gui/footprint_tool.py" line="58" />
            <source>Point</source>
            <translation>Point</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="44" />
            <location filename="../processing/algorithms/score_events.py" line="72" />
            <location filename="../processing/algorithms/score_events.py" line="74" />
            <source>Point footprint radius (m)</source>
            <translation>Rayon de l'emprise d'un point (m)</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="210" />
            <source>Point radius</source>
            <translation>Rayon d'un point</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="303" />
            <source>Point; scored on a disc of {} m radius</source>
            <translation>Point ; scoré sur un disque de {} m de rayon</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="56" />
            <location filename="../gui/layers.py" line="213" />
            <location filename="../gui/planned.py" line="223" />
            <location filename="../report/memory.py" line="49" />
            <location filename="../store/qgis_store.py" line="50" />
            <source>points</source>
            <translation>points</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="335" />
            <source>points widened by {} m</source>
            <translation>points élargis de {} m</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="63" />
            <source>Police operation</source>
            <translation>Opération de police</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="60" />
            <source>Police-initiated</source>
            <translation>Initiative policière</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="88" />
            <source>Police-initiated categories</source>
            <translation>Catégories d'initiative policière</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="89" />
            <source>Police-initiated event natures</source>
            <translation>Natures d'événements d'initiative policière</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="128" />
            <location filename="../gui/results_panel.py" line="129" />
            <source>Police-initiated facts (fines, tow-aways, police operations) are made by patrolling: see the fairness audit in the Audit tab</source>
            <translation>Les faits d'initiative policière (verbalisations, enlèvements, opérations de police) naissent des patrouilles : voir l'audit d'équité dans l'onglet Audit</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="235" />
            <source>Police-initiated facts make {share} of the score of {n} past events.</source>
            <translation>Les faits d'initiative policière font {share} du score de {n} événements passés.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="380" />
            <location filename="../gui/data_panel.py" line="382" />
            <source>PostgreSQL store</source>
            <translation>Entrepôt PostgreSQL</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="360" />
            <source>PostgreSQL/PostGIS</source>
            <translation>PostgreSQL/PostGIS</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="108" />
            <source>PostgreSQL…</source>
            <translation>PostgreSQL…</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="43" />
            <source>Predict planned events</source>
            <translation>Prédire les événements prévus</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="62" />
            <source>Predicted</source>
            <translation>Prédit</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="63" />
            <source>Predicted / observed</source>
            <translation>Prédit / observé</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="88" />
            <location filename="../processing/algorithms/trends.py" line="90" />
            <source>previous weeks</source>
            <translation>semaines précédentes</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="548" />
            <source>printed {}</source>
            <translation>imprimé le {}</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="450" />
            <source>Proximity</source>
            <translation>Proximité</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="79" />
            <source>Published</source>
            <translation>Publiée</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="65" />
            <source>Published and enriched configurations</source>
            <translation>Configurations publiée et enrichie</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="52" />
            <source>published better</source>
            <translation>publiée meilleure</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="58" />
            <source>Push an offline copy back</source>
            <translation>Renvoyer une copie hors ligne</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="61" />
            <source>Pushes to the shared store what was done on an offline copy made by tranquillite:exportoffline: the planned events created offline, the edits of axes, cameras and planned events, and the audit rows written offline. An edit of a feature that also changed on the shared store since the export is a conflict: it is reported, feature by feature, and never overwrites. Running it again pushes nothing twice. The offline copy's audit trail must verify first.</source>
            <translation>Renvoie vers l'entrepôt partagé ce qui a été fait sur une copie hors ligne faite par tranquillite:exportoffline : les événements prévus créés hors ligne, les modifications d'axes, de caméras et d'événements prévus, et les lignes d'audit écrites hors ligne. La modification d'une entité qui a aussi changé dans l'entrepôt partagé depuis l'export est un conflit : il est signalé, entité par entité, et n'écrase jamais rien. Relancer l'algorithme ne renvoie rien deux fois. La piste d'audit de la copie hors ligne doit d'abord être vérifiée.</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="189" />
            <source>Put back every default value on this page (saved when you apply)</source>
            <translation>Remettre toutes les valeurs par défaut de cette page (enregistrées quand vous appliquez)</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="153" />
            <source>Put back the weights of the specification (saved when you apply)</source>
            <translation>Remettre les poids de la spécification (enregistrés quand vous appliquez)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="66" />
            <source>Radius around the footprint (m)</source>
            <translation>Rayon autour de l'emprise (m)</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="206" />
            <source>Radius R</source>
            <translation>Rayon R</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="39" />
            <source>Radius used by the score (m)</source>
            <translation>Rayon utilisé par le score (m)</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="331" />
            <source>radius {} m</source>
            <translation>rayon {} m</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="29" />
            <location filename="../processing/algorithms/make_demo_city.py" line="39" />
            <source>Random seed</source>
            <translation>Graine aléatoire</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="92" />
            <source>Random seed (backtest)</source>
            <translation>Graine aléatoire (test rétrospectif)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="76" />
            <source>Ratio</source>
            <translation>Ratio</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="341" />
            <source>ratio ≥</source>
            <translation>ratio ≥</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="45" />
            <location filename="../processing/algorithms/model_options.py" line="47" />
            <source>Raw scores (published)</source>
            <translation>Scores bruts (publiée)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="84" />
            <source>Reading facts</source>
            <translation>Lecture des faits</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="99" />
            <source>Reading the scored events</source>
            <translation>Lecture des événements scorés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="86" />
            <source>Reading the store's figures</source>
            <translation>Lecture des chiffres du magasin</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="74" />
            <source>Recent</source>
            <translation>Récent</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="328" />
            <source>Recent count divided by the usual (baseline mean) count</source>
            <translation>Nombre récent divisé par le nombre habituel (moyenne de la référence)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="306" />
            <source>Recent window</source>
            <translation>Fenêtre récente</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="87" />
            <source>Recent window (days)</source>
            <translation>Fenêtre récente (jours)</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="417" />
            <source>Recent window {start} – {end}, against {n} baseline windows; {k} of {m} sectors in alert.</source>
            <translation>Fenêtre récente du {start} au {end}, comparée à {n} fenêtres de référence ; {k} secteurs sur {m} en alerte.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="71" />
            <source>Record of processing (PDF, first language)</source>
            <translation>Registre du traitement (PDF, première langue)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="188" />
            <source>Records turned into counts</source>
            <translation>Enregistrements transformés en comptages</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="117" />
            <source>Refresh</source>
            <translation>Actualiser</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="88" />
            <source>Regular control and algorithm notice</source>
            <translation>Contrôle régulier et notice algorithmique</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="168" />
            <source>Remove</source>
            <translation>Retirer</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="75" />
            <location filename="../processing/algorithms/import_layer.py" line="76" />
            <source>replace</source>
            <translation>remplacer</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="198" />
            <source>Report</source>
            <translation>Rapport</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="78" />
            <source>Report (Markdown)</source>
            <translation>Rapport (Markdown)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="77" />
            <source>Report folder</source>
            <translation>Dossier du rapport</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="139" />
            <source>Report written to {} in {:.1f} s</source>
            <translation>Rapport écrit dans {} en {:.1f} s</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="497" />
            <source>report: {}</source>
            <translation>rapport : {}</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="36" />
            <source>reporting service</source>
            <translation>service déclarant</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="249" />
            <source>required for the model</source>
            <translation>requis pour le modèle</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="74" />
            <source>Rescue</source>
            <translation>Secours</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="137" />
            <source>Residuals compared from this many predicted events</source>
            <translation>Résidus comparés à partir de ce nombre d'événements prédits</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="187" />
            <source>Restore all defaults</source>
            <translation>Tout remettre par défaut</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="151" />
            <source>Restore default weights</source>
            <translation>Remettre les poids par défaut</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="43" />
            <source>Result</source>
            <translation>Résultat</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="60" />
            <source>Results</source>
            <translation>Résultats</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="62" />
            <source>Roadworks</source>
            <translation>Travaux</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="202" />
            <source>row {}</source>
            <translation>ligne {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="39" />
            <source>Rows</source>
            <translation>Lignes</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="69" />
            <location filename="../gui/model_comparison.py" line="70" />
            <source>Run a backtest to compare the published method with the enriched configuration (context axes, settings chosen by a backtest inside the training period, calibrated band) on the same events.</source>
            <translation>Lancez un backtest pour comparer la méthode publiée à la configuration enrichie (axes de contexte, réglages choisis par un backtest à l'intérieur de la période d'entraînement, fourchette calibrée) sur les mêmes événements.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="188" />
            <source>Run backtest</source>
            <translation>Lancer le test rétrospectif</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="88" />
            <location filename="../processing/algorithms/trends.py" line="90" />
            <source>same weeks of previous years</source>
            <translation>mêmes semaines des années précédentes</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="89" />
            <source>Saturated</source>
            <translation>Saturé</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="179" />
            <source>Save</source>
            <translation>Enregistrer</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="473" />
            <source>Save the model</source>
            <translation>Enregistrer le modèle</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="180" />
            <source>Save the planned event in the planned events layer</source>
            <translation>Enregistrer l'événement prévu dans la couche des événements prévus</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="174" />
            <source>Save…</source>
            <translation>Enregistrer…</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="47" />
            <source>Schema version</source>
            <translation>Version de schéma</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="44" />
            <location filename="../report/event_sheet.py" line="451" />
            <source>Score</source>
            <translation>Score</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="167" />
            <source>Score and train</source>
            <translation>Scorer et entraîner</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="483" />
            <location filename="../gui/model_comparison.py" line="101" />
            <source>Score and train the model first: the backtest uses the scored past events.</source>
            <translation>Scorez et entraînez d'abord le modèle : le test rétrospectif utilise les événements passés scorés.</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="279" />
            <source>Score driven mostly by police-initiated facts</source>
            <translation>Score surtout dû à des faits d'initiative policière</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="31" />
            <source>Score events</source>
            <translation>Scorer les événements</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="88" />
            <location filename="../plugin.py" line="89" />
            <source>Score events with the facts around them</source>
            <translation>Scorer les événements avec les faits qui les entourent</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="88" />
            <location filename="../plugin.py" line="89" />
            <source>Score events…</source>
            <translation>Scorer les événements…</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="85" />
            <source>Score radius and time window, category weights, model and working CRS</source>
            <translation>Rayon et fenêtre temporelle du score, poids des catégories, modèle et SCR de travail</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="95" />
            <location filename="../plugin.py" line="99" />
            <source>Score radius and time window, category weights, model and working CRS (a page of QGIS's Options)</source>
            <translation>Rayon et fenêtre temporelle du score, poids des catégories, modèle et SCR de travail (une page des Options de QGIS)</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="168" />
            <source>Score the past events with their facts, then train the random forest on them</source>
            <translation>Scorer les événements passés avec leurs faits, puis entraîner la forêt aléatoire sur ces événements</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="79" />
            <source>Scored events</source>
            <translation>Événements scorés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="72" />
            <location filename="../processing/algorithms/fairness_audit.py" line="73" />
            <source>Scored events (fields score and score_detail)</source>
            <translation>Événements scorés (champs score et score_detail)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/sector_statistics.py" line="44" />
            <location filename="../processing/algorithms/sector_statistics.py" line="45" />
            <source>Scored events (with a score field)</source>
            <translation>Événements scorés (avec un champ score)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="64" />
            <location filename="../processing/algorithms/backtest.py" line="65" />
            <location filename="../processing/algorithms/train_model.py" line="55" />
            <location filename="../processing/algorithms/train_model.py" line="56" />
            <source>Scored past events (field score)</source>
            <translation>Événements passés scorés (champ score)</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="461" />
            <location filename="../gui/data_panel.py" line="462" />
            <source>Scored {n} past events with {f} facts: mean score {mean:.1f}, highest {top:.1f}</source>
            <translation>{n} événements passés scorés avec {f} faits : score moyen {mean:.1f}, le plus élevé {top:.1f}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="35" />
            <source>Scores every event with the facts (incidents) around it: a fact counts for an event when it lies within RADIUS metres of the event's footprint (a polygon as it is, a line buffered by 15 m, a point by 50 m) and happened between BEFORE_H hours before the start and AFTER_H hours after the end, bounds included. The score is the sum of weight(category) × count of those facts.

WEIGHTS overrides category weights, e.g. 'violence=4, vol=2.5' (defaults: main_courante 1, verbalisation 0.5, enlevement 0.5, secours 2, intervention 1.5, degradation 2, violence 3, vol 2, nuisance 1, other codes 1).

The output is the events layer with fields score, n_facts (number of facts, counts included), score_detail (score by category, JSON) and score_note (why an event that breaks the data contract has no score).</source>
            <translation>Score chaque événement avec les faits (incidents) qui l'entourent : un fait compte pour un événement quand il se trouve à moins de RADIUS mètres de l'emprise de l'événement (un polygone tel quel, une ligne élargie de 15 m, un point de 50 m) et qu'il a eu lieu entre BEFORE_H heures avant le début et AFTER_H heures après la fin, bornes comprises. Le score est la somme de poids(catégorie) × effectif de ces faits.

WEIGHTS remplace les poids des catégories, par ex. « violence=4, vol=2.5 » (par défaut : main_courante 1, verbalisation 0.5, enlevement 0.5, secours 2, intervention 1.5, degradation 2, violence 3, vol 2, nuisance 1, autres codes 1).

La sortie est la couche des événements avec les champs score, n_facts (nombre de faits, effectifs compris), score_detail (score par catégorie, JSON) et score_note (pourquoi un événement qui enfreint le contrat de données n'a pas de score).</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="40" />
            <location filename="../processing/algorithms/predict_events.py" line="45" />
            <location filename="../processing/algorithms/score_events.py" line="33" />
            <location filename="../processing/algorithms/sector_statistics.py" line="29" />
            <location filename="../processing/algorithms/train_model.py" line="27" />
            <source>Scoring and model</source>
            <translation>Score et modèle</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="71" />
            <source>Scoring the past events and training the model</source>
            <translation>Score des événements passés et entraînement du modèle</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="92" />
            <source>Scoring {} events against {} facts</source>
            <translation>Score de {} événements avec {} faits</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="88" />
            <location filename="../processing/algorithms/trends.py" line="89" />
            <source>Seasonal baseline</source>
            <translation>Référence saisonnière</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="58" />
            <location filename="../gui/audit_panel.py" line="72" />
            <location filename="../gui/event_panel.py" line="153" />
            <location filename="../report/event_sheet.py" line="449" />
            <location filename="../vocabulary.py" line="111" />
            <source>Sector</source>
            <translation>Secteur</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="42" />
            <source>sector id (found from the sectors when absent)</source>
            <translation>identifiant du secteur (déduit des secteurs si absent)</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="43" />
            <source>sector identifier</source>
            <translation>identifiant du secteur</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/sector_statistics.py" line="27" />
            <source>Sector statistics</source>
            <translation>Statistiques par secteur</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="89" />
            <source>Sector {sector}: its fairness drifted since the previous model (police-initiated share {before} % → {after} %) — regular control</source>
            <translation>Secteur {sector} : son équité a dérivé depuis le modèle précédent (part d'initiative policière {before} % → {after} %) — contrôle régulier</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="34" />
            <source>Sector {sector}: {pct} % of its past events' score comes from police-initiated facts — the transferred score may reflect patrols as much as incidents (fairness audit)</source>
            <translation>Secteur {sector} : {pct} % du score de ses événements passés vient de faits d'initiative policière — le score transféré peut refléter les patrouilles autant que les incidents (audit d'équité)</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="280" />
            <location filename="../report/event_sheet.py" line="375" />
            <source>sector {}</source>
            <translation>secteur {}</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="86" />
            <location filename="../demo_render.py" line="255" />
            <location filename="../processing/algorithms/backtest.py" line="68" />
            <location filename="../processing/algorithms/backtest.py" line="69" />
            <location filename="../processing/algorithms/export_aggregated.py" line="77" />
            <location filename="../processing/algorithms/export_aggregated.py" line="78" />
            <location filename="../processing/algorithms/fairness_audit.py" line="76" />
            <location filename="../processing/algorithms/fairness_audit.py" line="77" />
            <location filename="../processing/algorithms/sector_statistics.py" line="43" />
            <location filename="../processing/algorithms/train_model.py" line="58" />
            <location filename="../processing/algorithms/train_model.py" line="59" />
            <location filename="../processing/algorithms/trends.py" line="82" />
            <location filename="../store/qgis_store.py" line="46" />
            <location filename="../vocabulary.py" line="99" />
            <source>Sectors</source>
            <translation>Secteurs</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="74" />
            <location filename="../processing/algorithms/import_layer.py" line="59" />
            <location filename="../processing/algorithms/import_layer.py" line="62" />
            <source>sectors</source>
            <translation>secteurs</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="160" />
            <location filename="../demo_render.py" line="166" />
            <source>Sectors by mean event score, traffic axes by status, cameras and their coverage, events by nature</source>
            <translation>Secteurs par score moyen des événements, axes de circulation par état, caméras et leur couverture, événements par nature</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="135" />
            <source>Sectors compared from this many events</source>
            <translation>Secteurs comparés à partir de ce nombre d'événements</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="140" />
            <source>Sectors that drifted</source>
            <translation>Secteurs en dérive</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="139" />
            <source>Sectors that drifted (comma-separated)</source>
            <translation>Secteurs en dérive (séparés par des virgules)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="70" />
            <source>Sectors whose fairness drifted since the last model</source>
            <translation>Secteurs dont l'équité a dérivé depuis le modèle précédent</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/sector_statistics.py" line="51" />
            <source>Sectors with statistics</source>
            <translation>Secteurs avec statistiques</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="96" />
            <source>Sectors with trends</source>
            <translation>Secteurs avec tendances</translation>
        </message>
        <message>
            <location filename="../styles.py" line="446" />
            <source>Sectors without a value (no event, so no mean score)</source>
            <translation>Secteurs sans valeur (aucun événement, donc pas de score moyen)</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="135" />
            <source>Sectors: facts per km²</source>
            <translation>Secteurs : faits par km²</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="133" />
            <source>Sectors: mean event score</source>
            <translation>Secteurs : score moyen des événements</translation>
        </message>
        <message>
            <location filename="../settings.py" line="121" />
            <source>Setting '{}' must be a number, not {!r}.</source>
            <translation>Le paramètre « {} » doit être un nombre, pas {!r}.</translation>
        </message>
        <message>
            <location filename="../settings.py" line="124" />
            <source>Setting '{}' must be between {} and {}, not {}.</source>
            <translation>Le paramètre « {} » doit être compris entre {} et {}, pas {}.</translation>
        </message>
        <message>
            <location filename="../gui/controller.py" line="123" />
            <source>Settings changed: the model will be trained again at the next estimate</source>
            <translation>Paramètres modifiés : le modèle sera entraîné de nouveau à la prochaine estimation</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="35" />
            <location filename="../processing/algorithms/model_options.py" line="38" />
            <source>Settings of the forest</source>
            <translation>Réglages de la forêt</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="382" />
            <source>Settings saved.</source>
            <translation>Paramètres enregistrés.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="619" />
            <source>Settings: {}</source>
            <translation>Paramètres : {}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="83" />
            <location filename="../plugin.py" line="97" />
            <source>Settings…</source>
            <translation>Paramètres…</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="30" />
            <source>Share of the axes tried at each split</source>
            <translation>Part des axes essayés à chaque division</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="75" />
            <location filename="../plugin.py" line="79" />
            <source>Show or hide the observatory's panel: data, planned event, results, audit</source>
            <translation>Afficher ou masquer le panneau de l'observatoire : données, événement prévu, résultats, audit</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="41" />
            <source>Shows, sector by sector, where the model may feed on its own patrols.

EVENTS are events scored by 'Score events' (fields score and score_detail). For each sector: the number of events, the share of its score made by police-initiated facts (categories verbalisation and enlevement, and every fact of an operation_police event: POLICE_CATEGORIES and POLICE_NATURES) and the flag police_driven when that share is above THRESHOLD (0.5: more than half).

With a CUT_DATE, the score transfer is backtested (trained on the events before the date, predicting those after it) and each sector gets its mean residual (predicted − observed, raw and in log1p: positive = over-predicted) and the ratio of predicted to observed scores.

COMPARE_DOWNWEIGHTED runs the backtest a second time with police-initiated facts weighing FACTOR times as much (0 = ignored) and writes both, side by side, in the report.

With SECTORS the output is the sectors layer with the audit fields; without, a table.</source>
            <translation>Montre, secteur par secteur, où le modèle risque de se nourrir de ses propres patrouilles.

EVENTS sont des événements scorés par « Scorer les événements » (champs score et score_detail). Pour chaque secteur : le nombre d'événements, la part de son score due aux faits d'initiative policière (catégories verbalisation et enlevement, et tous les faits d'un événement operation_police : POLICE_CATEGORIES et POLICE_NATURES) et l'indicateur police_driven quand cette part dépasse THRESHOLD (0.5 : plus de la moitié).

Avec une CUT_DATE, le transfert de score est testé rétrospectivement (entraîné sur les événements avant la date, prédisant ceux d'après) et chaque secteur reçoit son résidu moyen (prédit − observé, brut et en log1p : positif = surestimé) et le rapport des scores prédits aux scores observés.

COMPARE_DOWNWEIGHTED relance le test rétrospectif avec les faits d'initiative policière pesant FACTOR fois plus (0 = ignorés) et écrit les deux résultats, côte à côte, dans le rapport.

Avec SECTORS, la sortie est la couche des secteurs avec les champs d'audit ; sans, une table.</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="211" />
            <source>Similar events (k)</source>
            <translation>Événements similaires (k)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="93" />
            <source>Similar events per transfer (backtest)</source>
            <translation>Événements similaires par transfert (test rétrospectif)</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="138" />
            <location filename="../report/event_sheet.py" line="241" />
            <location filename="../report/event_sheet.py" line="249" />
            <source>Similar past events</source>
            <translation>Événements passés similaires</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="612" />
            <source>Similar past events — {}</source>
            <translation>Événements passés similaires — {}</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="407" />
            <location filename="../report/event_sheet.py" line="409" />
            <source>similar past events, with their id</source>
            <translation>événements passés similaires, avec leur identifiant</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="43" />
            <source>Similarity</source>
            <translation>Similarité</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="160" />
            <location filename="../gui/settings_page.py" line="160" />
            <source>Similarity model</source>
            <translation>Modèle de similarité</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="58" />
            <source>Sources</source>
            <translation>Sources</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="35" />
            <source>Spearman (higher is better)</source>
            <translation>Spearman (plus haut est meilleur)</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="57" />
            <source>Sports event</source>
            <translation>Événement sportif</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="148" />
            <location filename="../report/event_sheet.py" line="448" />
            <source>Start</source>
            <translation>Début</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="40" />
            <source>start date and time</source>
            <translation>date et heure de début</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="67" />
            <source>Start of the first past event</source>
            <translation>Début du premier événement passé</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="68" />
            <source>Start of the last past event</source>
            <translation>Début du dernier événement passé</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="120" />
            <source>Still to choose: {}</source>
            <translation>Reste à choisir : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="45" />
            <location filename="../processing/algorithms/import_layer.py" line="79" />
            <source>Store</source>
            <translation>Entrepôt</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="39" />
            <location filename="../processing/algorithms/create_store.py" line="40" />
            <location filename="../processing/algorithms/import_layer.py" line="65" />
            <location filename="../processing/algorithms/offline.py" line="33" />
            <location filename="../processing/algorithms/offline.py" line="74" />
            <location filename="../processing/algorithms/transparency.py" line="63" />
            <location filename="../processing/algorithms/transparency.py" line="128" />
            <location filename="../processing/algorithms/transparency.py" line="183" />
            <location filename="../processing/algorithms/verify_audit.py" line="37" />
            <source>Store (.gpkg path or PostgreSQL connection)</source>
            <translation>Entrepôt (chemin .gpkg ou connexion PostgreSQL)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="64" />
            <source>Store created: {} (CRS {}, schema version {})</source>
            <translation>Entrepôt créé : {} (SCR {}, version de schéma {})</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="78" />
            <source>Store layer</source>
            <translation>Couche de l'entrepôt</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="48" />
            <source>Store not opened: {}</source>
            <translation>Entrepôt non ouvert : {}</translation>
        </message>
        <message>
            <location filename="../gui/datetime_widget.py" line="98" />
            <source>Stored in UTC, shown and typed in Europe/Paris time.</source>
            <translation>Enregistrée en UTC, affichée et saisie à l’heure de Paris.</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="103" />
            <source>The algorithm notice and the record of processing, in French and English, as PDF and HTML, from the store and its model</source>
            <translation>La notice algorithmique et le registre du traitement, en français et en anglais, en PDF et HTML, à partir du magasin et de son modèle</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="165" />
            <source>The algorithm notice was not written: {}</source>
            <translation>La notice algorithmique n'a pas été écrite : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/base.py" line="216" />
            <location filename="../processing/algorithms/base.py" line="217" />
            <source>The audit row could not be written to {}, so this run is refused: {}</source>
            <translation>La ligne d'audit n'a pas pu être écrite dans {}, cette exécution est donc refusée : {}</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="185" />
            <source>The audit row of {} was not written: {}</source>
            <translation>La ligne d'audit de {} n'a pas été écrite : {}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="184" />
            <source>The audit trail could not be read: {}</source>
            <translation>La piste d'audit n'a pas pu être lue : {}</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="203" />
            <source>The audit trail is BROKEN at {}: {}</source>
            <translation>La piste d'audit est ROMPUE à {} : {}</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="201" />
            <source>The audit trail is intact: {} rows, none edited, deleted or reordered.</source>
            <translation>La piste d'audit est intacte : {} lignes, aucune modifiée, supprimée ou réordonnée.</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="91" />
            <location filename="../gui/audit_panel.py" line="92" />
            <source>The audit trail shows here once an observatory store is open: every import, scoring, training, prediction and export, with when, who, the parameters, the input layers and the model fingerprint.</source>
            <translation>La piste d'audit s'affiche ici dès qu'un entrepôt d'observatoire est ouvert : chaque import, score, entraînement, prédiction et export, avec la date, l'auteur, les paramètres, les couches en entrée et l'empreinte du modèle.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="117" />
            <source>The background context axis needs the FACTS layer</source>
            <translation>L'axe de contexte des incidents de fond demande la couche FACTS</translation>
        </message>
        <message>
            <location filename="../settings.py" line="186" />
            <location filename="../settings.py" line="188" />
            <source>The category weights are not readable: {!r}.</source>
            <translation>Les poids des catégories sont illisibles : {!r}.</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="48" />
            <location filename="../gui/transparency_box.py" line="49" />
            <source>The chart shows once two models have been trained on this store.</source>
            <translation>Le graphique s'affiche dès que deux modèles ont été appris sur ce magasin.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="138" />
            <source>The comparison of weightings needs a CUT_DATE: skipped</source>
            <translation>La comparaison des pondérations demande une CUT_DATE : ignorée</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="57" />
            <source>the end</source>
            <translation>la fin</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="202" />
            <source>the end of the trail</source>
            <translation>la fin de la piste</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="239" />
            <source>The estimate of a planned event is the proximity-weighted mean score of this many most similar past events.</source>
            <translation>L'estimation d'un événement prévu est la moyenne, pondérée par la proximité, des scores de ce nombre d'événements passés les plus similaires.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="85" />
            <source>The event sheet is for one event; {} rows were given.</source>
            <translation>La fiche événement porte sur un seul événement ; {} lignes ont été données.</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="99" />
            <location filename="../processing/algorithms/train_model.py" line="86" />
            <source>The fairness control could not be run: {}</source>
            <translation>Le contrôle d'équité n'a pas pu être mené : {}</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="241" />
            <source>The fewest past events a leaf of a tree may hold: more gives broader, smoother similarities.</source>
            <translation>Le plus petit nombre d'événements passés qu'une feuille d'arbre peut contenir : plus il est grand, plus les similarités sont larges et lissées.</translation>
        </message>
        <message>
            <location filename="../gui/screenshots.py" line="155" />
            <source>The import did not finish: {}</source>
            <translation>L'import n'a pas abouti : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="125" />
            <source>The layer breaks the data contract: {}</source>
            <translation>La couche enfreint le contrat de données : {}</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="86" />
            <source>The model was not saved into the store: {}</source>
            <translation>Le modèle n'a pas été enregistré dans l'entrepôt : {}</translation>
        </message>
        <message>
            <location filename="../gui/planned.py" line="83" />
            <source>The planned event has no footprint: draw it on the map first</source>
            <translation>L'événement prévu n'a pas d'emprise : dessinez-la d'abord sur la carte</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="91" />
            <source>The planned event must be a dict or a table row.</source>
            <translation>L'événement prévu doit être un dictionnaire ou une ligne de table.</translation>
        </message>
        <message>
            <location filename="../gui/screenshots.py" line="182" />
            <source>The prediction did not finish: {}</source>
            <translation>La prédiction n'a pas abouti : {}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="82" />
            <source>the previous weeks</source>
            <translation>les semaines précédentes</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="76" />
            <source>The project's observatory store {} cannot be opened</source>
            <translation>L'entrepôt d'observatoire du projet {} ne peut pas être ouvert</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="305" />
            <source>The recent window ends at midnight after the latest fact</source>
            <translation>La fenêtre récente se termine à minuit après le dernier fait</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="113" />
            <source>The regular control: the fairness audit of the model (per sector: the share of the score that police-initiated facts make, the mean log1p score, the mean log1p residual of its most recent events transferred from the events before them, the flag) is compared with the last one the store keeps. A sector drifts when its police-initiated share moves by more than SHARE_DELTA, its mean log1p residual by more than RESIDUAL_DELTA (when both predicted MIN_PREDICTED of its events), or when it becomes flagged; only sectors with at least MIN_EVENTS events in both are compared. The snapshot and its comparison are kept in the store (the Audit tab charts them, the event sheet and the notice warn of a drift). Training a model in the plugin runs it too. MODEL: a model file; default: the store's model.</source>
            <translation>Le contrôle régulier : l'audit d'équité du modèle (par secteur : la part du score due aux faits d'initiative policière, le score log1p moyen, le résidu log1p moyen de ses événements les plus récents transférés à partir des événements qui les précèdent, le signalement) est comparé au dernier que conserve le magasin. Un secteur dérive quand sa part d'initiative policière varie de plus de SHARE_DELTA, son résidu moyen log1p de plus de RESIDUAL_DELTA (quand les deux ont prédit MIN_PREDICTED de ses événements), ou quand il devient signalé ; seuls les secteurs d'au moins MIN_EVENTS événements dans les deux sont comparés. L'instantané et sa comparaison sont conservés dans le magasin (l'onglet Audit les trace, la fiche événement et la notice signalent une dérive). L'apprentissage d'un modèle dans l'extension le lance aussi. MODEL : un fichier de modèle ; par défaut : le modèle du magasin.</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="59" />
            <source>The rights of this login could not be read: {}</source>
            <translation>Les droits de cet identifiant n'ont pas pu être lus : {}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="82" />
            <source>the same weeks of previous years</source>
            <translation>les mêmes semaines des années précédentes</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="436" />
            <source>The sector's total is in alert</source>
            <translation>Le total du secteur est en alerte</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="308" />
            <source>the selected event, {}</source>
            <translation>l'événement sélectionné, {}</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="173" />
            <source>The settings were not written to the store: {}</source>
            <translation>Les paramètres n'ont pas été écrits dans l'entrepôt : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="116" />
            <source>The store's CRS is {}: the layer is reprojected into it</source>
            <translation>Le SCR de l'entrepôt est {} : la couche y est reprojetée</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="70" />
            <source>The store's CRS is {}; the CRS parameter ({}) is ignored</source>
            <translation>Le SCR de l'entrepôt est {} ; le paramètre CRS ({}) est ignoré</translation>
        </message>
        <message>
            <location filename="../gui/tasks.py" line="85" />
            <source>the task stopped without a result</source>
            <translation>la tâche s'est arrêtée sans résultat</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="235" />
            <source>The time window closes this long after the event's end (both bounds included).</source>
            <translation>La fenêtre temporelle se ferme ce nombre d'heures après la fin de l'événement (bornes incluses).</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="234" />
            <source>The time window opens this long before the event's start.</source>
            <translation>La fenêtre temporelle s'ouvre ce nombre d'heures avant le début de l'événement.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/backtest.py" line="133" />
            <source>The transfer does not beat every baseline on this data: read the report</source>
            <translation>Le transfert ne bat pas toutes les références sur ces données : lisez le rapport</translation>
        </message>
        <message>
            <location filename="../gui/highlights.py" line="172" />
            <source>The trend alerts could not be drawn: {}</source>
            <translation>Les alertes de tendance n'ont pas pu être dessinées : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="106" />
            <source>The weather context axis needs the WEATHER table</source>
            <translation>L'axe de contexte météo demande la table WEATHER</translation>
        </message>
        <message>
            <location filename="../settings.py" line="201" />
            <source>The weight of category '{}' must be between {} and {}, not {!r}.</source>
            <translation>Le poids de la catégorie « {} » doit être compris entre {} et {}, pas {!r}.</translation>
        </message>
        <message>
            <location filename="../settings.py" line="176" />
            <source>The working CRS needs an authority code such as EPSG:2154.</source>
            <translation>Le SCR de travail doit avoir un code d'autorité, par exemple EPSG:2154.</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="377" />
            <source>The working CRS was not changed: {}</source>
            <translation>Le SCR de travail n'a pas été modifié : {}</translation>
        </message>
        <message>
            <location filename="../gui/tasks.py" line="118" />
            <source>The {} layer is not valid</source>
            <translation>La couche {} n'est pas valide</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="78" />
            <source>Theft</source>
            <translation>Vol</translation>
        </message>
        <message>
            <location filename="../dependencies.py" line="172" />
            <source>Then restart QGIS.</source>
            <translation>Puis redémarrez QGIS.</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="95" />
            <location filename="../gui/settings_page.py" line="97" />
            <source>These settings apply to the Tranquillité publique panel: its scores, its model and its estimates, from the next run on. A model trained with other settings is trained again at the next estimate. The Processing algorithms keep their own parameters.</source>
            <translation>Ces paramètres s'appliquent au panneau Tranquillité publique : ses scores, son modèle et ses estimations, dès le prochain calcul. Un modèle entraîné avec d'autres paramètres est entraîné de nouveau à la prochaine estimation. Les algorithmes de Traitement gardent leurs propres paramètres.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="407" />
            <location filename="../report/event_sheet.py" line="408" />
            <source>this event's footprint</source>
            <translation>l'emprise de cet événement</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="142" />
            <location filename="../processing/algorithms/score_events.py" line="143" />
            <source>Timing: read {:.2f} s, score {:.2f} s, write {:.2f} s</source>
            <translation>Durées : lecture {:.2f} s, score {:.2f} s, écriture {:.2f} s</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="73" />
            <source>Tow-away</source>
            <translation>Enlèvement</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="128" />
            <location filename="../demo_render.py" line="207" />
            <location filename="../demo_render.py" line="254" />
            <location filename="../store/qgis_store.py" line="47" />
            <location filename="../vocabulary.py" line="100" />
            <source>Traffic axes</source>
            <translation>Axes de circulation</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="189" />
            <source>Train before the date, predict the events after it, compare with the baselines</source>
            <translation>Entraîner avant la date, prédire les événements d'après, comparer aux références</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="91" />
            <source>Train both configurations before the start of the last quarter of the scored events, predict the rest</source>
            <translation>Entraîner les deux configurations avant le début du dernier quart des événements scorés, prédire le reste</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="183" />
            <source>Train the model on the facts and past events first</source>
            <translation>Entraînez d'abord le modèle sur les faits et les événements passés</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="129" />
            <location filename="../gui/audit_panel.py" line="130" />
            <source>Train the model to see, per sector, the share of the score made by police-initiated facts (fines, tow-aways, police operations); run a backtest to compare predicted and observed scores.</source>
            <translation>Entraînez le modèle pour voir, par secteur, la part du score due aux faits d'initiative policière (verbalisations, enlèvements, opérations de police) ; lancez un test rétrospectif pour comparer scores prédits et observés.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="25" />
            <source>Train the similarity model</source>
            <translation>Entraîner le modèle de similarité</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="448" />
            <location filename="../gui/data_panel.py" line="449" />
            <source>Trained on {n} past events ({first} – {last}), {trees} trees; fingerprint {fp}</source>
            <translation>Entraîné sur {n} événements passés ({first} – {last}), {trees} arbres ; empreinte {fp}</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="122" />
            <source>Trained on {} events, tested on the {} that followed.</source>
            <translation>Entraîné sur {} événements, testé sur les {} suivants.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="104" />
            <source>Training {} trees on {} past events</source>
            <translation>Entraînement de {} arbres sur {} événements passés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/train_model.py" line="29" />
            <source>Trains the random forest that finds similar past events, on events scored by 'Score events' (field score, and score_detail for the facts by category shown in explanations). The eight factor axes: location (centroid of the footprint), participants, nature, sector (from SECTORS when an event has none: the sector containing its centroid, else the nearest), weekday or weekend, winter or summer (daylight saving time), footprint area, duration. The forest learns log(1 + score); two events are similar when they fall in the same leaf of many trees.

The published method (above) is the default. Options beyond it, each off unless chosen: MODE auto picks the share of axes tried per split, the minimum events per leaf, the number of trees and the averaging by a backtest inside the training period (the last 20 % of its events predicted from the first 80 %), and records every candidate's figures in the model; AVERAGING log is a weighted geometric mean; context axes add the background incident rate around the footprint at the event's hours of the week (from FACTS: facts of the 52 weeks before the event that no event counts), the weather of the day (from the WEATHER table) and the city's load that day (other events that started earlier that day and their participants); CALIBRATE makes the 10-90 % band conformal in log space, calibrated on the most recent training events.

The model file (.tqm) holds only data (JSON and numeric arrays, no pickle): loading it never runs code. It records the settings, the scoring settings and weights (advanced parameters: give those that made the scores), the training period and a fingerprint. Same events, settings and seed: same model, same fingerprint.</source>
            <translation>Entraîne la forêt aléatoire qui trouve les événements passés similaires, sur des événements scorés par « Scorer les événements » (champ score, et score_detail pour les faits par catégorie montrés dans les explications). Les huit axes : localisation (centroïde de l'emprise), participants, nature, secteur (d'après SECTORS quand un événement n'en a pas : le secteur qui contient son centroïde, sinon le plus proche), semaine ou week-end, hiver ou été (heure d'été), surface de l'emprise, durée. La forêt apprend log(1 + score) ; deux événements sont similaires quand ils tombent dans la même feuille de nombreux arbres.

La méthode publiée (ci-dessus) est celle par défaut. Options au-delà, chacune désactivée sauf choix : MODE auto choisit la part des axes essayés à chaque coupure, le minimum d'événements par feuille, le nombre d'arbres et la moyenne par un backtest à l'intérieur de la période d'entraînement (les 20 % derniers de ses événements prédits à partir des 80 % premiers), et enregistre les chiffres de chaque candidat dans le modèle ; AVERAGING en logarithme est une moyenne géométrique pondérée ; les axes de contexte ajoutent le taux d'incidents de fond autour de l'emprise aux heures de la semaine de l'événement (d'après FACTS : faits des 52 semaines avant l'événement qu'aucun événement ne compte), la météo du jour (d'après la table WEATHER) et la charge de la ville ce jour-là (autres événements commencés plus tôt ce jour-là et leurs participants) ; CALIBRATE rend la fourchette 10-90 % conforme en logarithme, calibrée sur les événements d'entraînement les plus récents.

Le fichier du modèle (.tqm) ne contient que des données (JSON et tableaux numériques, pas de pickle) : le charger n'exécute jamais de code. Il enregistre les réglages, les paramètres et poids du score (paramètres avancés : donnez ceux qui ont produit les scores), la période d'entraînement et une empreinte. Mêmes événements, mêmes réglages, même graine : même modèle, même empreinte.</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="468" />
            <source>Tranquillité model (*.tqmodel *.zip);;All files (*)</source>
            <translation>Modèle Tranquillité (*.tqmodel *.zip);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="473" />
            <source>Tranquillité model (*.tqmodel)</source>
            <translation>Modèle Tranquillité (*.tqmodel)</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="43" />
            <location filename="../gui/dock.py" line="116" />
            <location filename="../gui/screenshots.py" line="36" />
            <location filename="../gui/settings_page.py" line="411" />
            <location filename="../plugin.py" line="67" />
            <location filename="../plugin.py" line="73" />
            <location filename="../processing/provider.py" line="55" />
            <source>Tranquillité publique</source>
            <translation>Tranquillité publique</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="50" />
            <source>Tranquillité publique needs Python packages that are missing: {}. {}</source>
            <translation>Tranquillité publique a besoin de paquets Python manquants : {}. {}</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="75" />
            <location filename="../plugin.py" line="77" />
            <source>Tranquillité publique panel</source>
            <translation>Panneau Tranquillité publique</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="424" />
            <source>Tranquillité publique settings</source>
            <translation>Paramètres de Tranquillité publique</translation>
        </message>
        <message>
            <location filename="../demo_render.py" line="160" />
            <location filename="../demo_render.py" line="165" />
            <source>Tranquillité publique — demo city</source>
            <translation>Tranquillité publique — ville de démonstration</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="628" />
            <source>Tranquillité publique — event {} — model {} — page {} / {}</source>
            <translation>Tranquillité publique — événement {} — modèle {} — page {} / {}</translation>
        </message>
        <message>
            <location filename="../processing/provider.py" line="58" />
            <source>Tranquillité publique — public-order observatory</source>
            <translation>Tranquillité publique — observatoire de la tranquillité publique</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="107" />
            <location filename="../report/event_sheet.py" line="386" />
            <source>Transferred score</source>
            <translation>Score transféré</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="117" />
            <source>Transferring scores to {} planned events</source>
            <translation>Transfert des scores vers {} événements prévus</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="47" />
            <source>Transfers a score to each planned event from the K most similar past events of the MODEL (made by 'Train the similarity model'). Similarity is the share of the forest's trees in which the two events fall in the same leaf; only past events that started before the planned one are used.

Adds the fields predicted (proximity-weighted mean of the similar events' scores), band_low and band_high (weighted 10 % and 90 % quantiles of those scores), similar_ids (their event_id, most similar first, comma-separated) and transfer_note (why an event has no or a degraded transfer).

A model trained with context axes computes them for each planned event: the background incident rate from the recent facts saved in the model, the city's load from the past events and the other planned events, and the weather of the day from WEATHER (a forecast table; else the table saved with the model; a day in neither gets the training median, said in transfer_note).</source>
            <translation>Transfère un score à chaque événement prévu à partir des K événements passés les plus similaires du MODEL (produit par « Entraîner le modèle de similarité »). La similarité est la part des arbres de la forêt dans lesquels les deux événements tombent dans la même feuille ; seuls les événements passés ayant commencé avant l'événement prévu sont utilisés.

Ajoute les champs predicted (moyenne des scores des événements similaires pondérée par la proximité), band_low et band_high (quantiles pondérés à 10 % et 90 % de ces scores), similar_ids (leurs event_id, les plus similaires en premier, séparés par des virgules) et transfer_note (pourquoi un événement n'a pas de transfert ou un transfert dégradé).

Un modèle entraîné avec des axes de contexte les calcule pour chaque événement prévu : le taux d'incidents de fond d'après les faits récents enregistrés dans le modèle, la charge de la ville d'après les événements passés et les autres événements prévus, et la météo du jour d'après WEATHER (une table de prévisions ; sinon la table enregistrée avec le modèle ; un jour absent des deux reçoit la médiane de l'entraînement, signalé dans transfer_note).</translation>
        </message>
        <message>
            <location filename="../gui/alerts.py" line="39" />
            <source>Trend alerts</source>
            <translation>Alertes de tendance</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="286" />
            <source>Trends and alerts</source>
            <translation>Tendances et alertes</translation>
        </message>
        <message>
            <location filename="../gui/model_session.py" line="203" />
            <location filename="../processing/algorithms/trends.py" line="48" />
            <source>Trends and alerts per sector</source>
            <translation>Tendances et alertes par secteur</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="408" />
            <source>Trends not computed: see the message above.</source>
            <translation>Tendances non calculées : voir le message ci-dessus.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/trends.py" line="97" />
            <location filename="../processing/algorithms/trends.py" line="98" />
            <source>Trends per sector and category</source>
            <translation>Tendances par secteur et catégorie</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="37" />
            <source>unique identifier</source>
            <translation>identifiant unique</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="91" />
            <source>Unknown</source>
            <translation>Inconnu</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="167" />
            <source>unknown context (training median): {}</source>
            <translation>contexte inconnu (médiane de l'entraînement) : {}</translation>
        </message>
        <message>
            <location filename="../styles.py" line="136" />
            <location filename="../styles.py" line="579" />
            <location filename="../styles.py" line="779" />
            <source>Unknown layer kind '{}': expected one of {}.</source>
            <translation>Type de couche inconnu « {} » : attendu l'un de {}.</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="181" />
            <source>Unreadable footprint geometry: {}</source>
            <translation>Géométrie d'emprise illisible : {}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="43" />
            <source>User</source>
            <translation>Utilisateur</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="75" />
            <source>Usual</source>
            <translation>Habituel</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="18" />
            <source>Verify audit trail</source>
            <translation>Vérifier la piste d'audit</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="119" />
            <source>Verify the chain</source>
            <translation>Vérifier la chaîne</translation>
        </message>
        <message>
            <location filename="../attachments.py" line="98" />
            <location filename="../attachments.py" line="102" />
            <source>video or document</source>
            <translation>vidéo ou document</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="77" />
            <source>Violence</source>
            <translation>Violence</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="585" />
            <source>Warnings</source>
            <translation>Alertes</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="117" />
            <source>Weather of the day</source>
            <translation>Météo du jour</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/model_options.py" line="61" />
            <location filename="../processing/algorithms/model_options.py" line="63" />
            <location filename="../processing/algorithms/predict_events.py" line="76" />
            <location filename="../processing/algorithms/predict_events.py" line="78" />
            <source>Weather table by day (date, temperature, precipitation, wind; Météo-France columns accepted)</source>
            <translation>Table météo par jour (date, température, précipitations, vent ; colonnes de Météo-France acceptées)</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="71" />
            <source>Weather that day: {:.0f} °C, {:.0f} mm of rain, wind {:.0f} m/s</source>
            <translation>Météo ce jour-là : {:.0f} °C, {:.0f} mm de pluie, vent {:.0f} m/s</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="81" />
            <location filename="../processing/algorithms/export_aggregated.py" line="83" />
            <source>week</source>
            <translation>semaine</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="112" />
            <source>Weekday or weekend</source>
            <translation>Semaine ou week-end</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="120" />
            <location filename="../report/event_sheet.py" line="455" />
            <source>Weight</source>
            <translation>Poids</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="314" />
            <source>weighted facts (the score of each past event)</source>
            <translation>faits pondérés (le score de chaque événement passé)</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/base.py" line="134" />
            <source>WEIGHTS: {}</source>
            <translation>WEIGHTS : {}</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="356" />
            <source>weights: {}</source>
            <translation>poids : {}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="42" />
            <source>When</source>
            <translation>Quand</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="34" />
            <source>when it happened</source>
            <translation>quand il a eu lieu</translation>
        </message>
        <message>
            <location filename="../gui/mapping_dialog.py" line="47" />
            <source>when the status was last updated</source>
            <translation>date de la dernière mise à jour de l'état</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/verify_audit.py" line="41" />
            <source>Why</source>
            <translation>Pourquoi</translation>
        </message>
        <message>
            <location filename="../vocabulary.py" line="113" />
            <source>Winter or summer</source>
            <translation>Hiver ou été</translation>
        </message>
        <message>
            <location filename="../gui/model_comparison.py" line="49" />
            <source>within noise</source>
            <translation>dans le bruit</translation>
        </message>
        <message>
            <location filename="../gui/settings_page.py" line="169" />
            <source>Working CRS</source>
            <translation>SCR de travail</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/create_store.py" line="42" />
            <location filename="../processing/algorithms/create_store.py" line="43" />
            <source>Working CRS of the store</source>
            <translation>SCR de travail de l'entrepôt</translation>
        </message>
        <message>
            <location filename="../gui/controller.py" line="125" />
            <source>Working CRS: {} (layers read from now on)</source>
            <translation>SCR de travail : {} (pour les couches lues désormais)</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="242" />
            <source>Works &lt;b&gt;{}&lt;/b&gt; from {} to {}</source>
            <translation>Travaux &lt;b&gt;{}&lt;/b&gt; du {} au {}</translation>
        </message>
        <message>
            <location filename="../report/sheet.py" line="105" />
            <source>Works {} from {} to {} meet the footprint</source>
            <translation>Les travaux {} du {} au {} touchent l'emprise</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="91" />
            <source>Write a demo observatory</source>
            <translation>Écrire un observatoire de démonstration</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="101" />
            <source>Write the algorithm notice…</source>
            <translation>Écrire la notice algorithmique…</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="20" />
            <source>Writes a deterministic demo observatory, a Marseille-like city in Lambert-93 around the Vieux-Port, to a GeoPackage: sectors, traffic axes with their status, cameras with their coverage radius, past events of every nature (points, itineraries, areas), incidents around them and background incidents, and a few planned events. The same SEED always gives the same city. Up to 20,000 events and 2,000,000 facts.</source>
            <translation>Écrit dans un GeoPackage un observatoire de démonstration déterministe, une ville inspirée de Marseille en Lambert-93 autour du Vieux-Port : secteurs, axes de circulation avec leur état, caméras avec leur rayon de couverture, événements passés de toutes natures (points, itinéraires, zones), incidents autour d'eux et incidents de fond, et quelques événements prévus. La même SEED donne toujours la même ville. Jusqu'à 20 000 événements et 2 000 000 de faits.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="21" />
            <source>Writes a GeoPackage observatory from a store (usually the shared PostGIS one), for work without the network: the layers, past events with their scores, the settings, the saved models and the audit trail, row for row. The copy is signed and anchored on this workstation, and remembers the version of each axis, camera and planned event, so that tranquillite:syncback can later push its work back without overwriting what changed on the shared store meanwhile. The store's trail must verify first.</source>
            <translation>Écrit un observatoire GeoPackage à partir d'un entrepôt (en général l'entrepôt PostGIS partagé), pour travailler sans réseau : les couches, les événements passés avec leur score, les paramètres, les modèles enregistrés et la piste d'audit, ligne à ligne. La copie est signée et ancrée sur ce poste, et garde la version de chaque axe, caméra et événement prévu, pour que tranquillite:syncback puisse plus tard renvoyer son travail sans écraser ce qui a changé entre-temps dans l'entrepôt partagé. La piste de l'entrepôt doit d'abord être vérifiée.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="48" />
            <source>Writes the algorithm notice (the four items of the French CRPA, art. R311-3-1-2: degree and mode of contribution to the decision, data processed and their sources, parameters and their weights, operations performed; and the latest backtest) and the record of processing (purposes, data categories, recipients, retention, security measures, impact-analysis annex), in French and English, as HTML and PDF.

Every figure is read from the store (layers, counts, date ranges, source values, the privacy guard's decisions, audit trail, fairness control history, retention, roles, security in force) and from the model: the store's saved model, or MODEL when given. Nothing is typed by hand.</source>
            <translation>Écrit la notice algorithmique (les quatre éléments du CRPA, art. R311-3-1-2 : degré et mode de contribution du traitement à la décision, données traitées et leurs sources, paramètres de traitement et leur pondération, opérations effectuées ; et le dernier backtest) et le registre du traitement (finalités, catégories de données, destinataires, conservation, mesures de sécurité, annexe d'analyse d'impact), en français et en anglais, en HTML et PDF.

Chaque chiffre est lu dans le magasin (couches, nombres, périodes, valeurs de source, décisions du garde-fou des données personnelles, journal d'audit, historique du contrôle d'équité, conservation, rôles, sécurité en vigueur) et dans le modèle : le modèle enregistré du magasin, ou MODEL s'il est donné. Rien n'est saisi à la main.</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="59" />
            <source>Writing {}</source>
            <translation>Écriture de {}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="432" />
            <source>written to the observatory store</source>
            <translation>écrit dans l'entrepôt de l'observatoire</translation>
        </message>
        <message>
            <location filename="../gui/jobs.py" line="52" />
            <source>written to the store {}</source>
            <translation>écrit dans l'entrepôt {}</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="168" />
            <source>Written to {}: {}</source>
            <translation>Écrit dans {} : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="102" />
            <source>Written: {}</source>
            <translation>Écrit : {}</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/export_aggregated.py" line="81" />
            <location filename="../processing/algorithms/export_aggregated.py" line="83" />
            <source>year</source>
            <translation>année</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="38" />
            <source>Years of history</source>
            <translation>Années d'historique</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="77" />
            <source>z</source>
            <translation>z</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="341" />
            <source>z ≥</source>
            <translation>z ≥</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="47" />
            <source>{:,.0f} m²</source>
            <translation>{:,.0f} m²</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="53" />
            <source>{:.0f} m</source>
            <translation>{:.0f} m</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="46" />
            <source>{:.1f} ha</source>
            <translation>{:.1f} ha</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="52" />
            <source>{:.2f} km</source>
            <translation>{:.2f} km</translation>
        </message>
        <message>
            <location filename="../gui/event_panel.py" line="44" />
            <source>{:.2f} km²</source>
            <translation>{:.2f} km²</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="204" />
            <location filename="../gui/results_panel.py" line="205" />
            <source>{id} — {nature}, {n} participants, {start} → {end}</source>
            <translation>{id} — {nature}, {n} participants, {start} → {end}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="404" />
            <location filename="../gui/data_panel.py" line="405" />
            <source>{kind} — “{layer}”: refused, personal data in {fields}.
  {why}</source>
            <translation>{kind} — « {layer} » : refusée, données personnelles dans {fields}.
  {why}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="419" />
            <source>{kind} — “{layer}”: {read} read, {taken} taken, {repaired} repaired, {refused} refused</source>
            <translation>{kind} — « {layer} » : {read} lues, {taken} reprises, {repaired} réparées, {refused} refusées</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="53" />
            <source>{login} owns this GeoPackage: {words}</source>
            <translation>{login} possède ce GeoPackage : {words}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="491" />
            <location filename="../gui/data_panel.py" line="492" />
            <source>{method}: Spearman {sp:.2f}, MAE log1p {mae:.2f}, top-decile hit {hit:.0%}</source>
            <translation>{method} : Spearman {sp:.2f}, EAM log1p {mae:.2f}, détection du décile supérieur {hit:.0%}</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="82" />
            <source>{table} {key}: added</source>
            <translation>{table} {key} : ajouté</translation>
        </message>
        <message>
            <location filename="../gui/access.py" line="82" />
            <location filename="../gui/access.py" line="83" />
            <source>{table} {key}: deleted</source>
            <translation>{table} {key} : supprimé</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="257" />
            <location filename="../gui/data_panel.py" line="258" />
            <source>{taken} taken, {repaired} repaired, {refused} refused</source>
            <translation>{taken} reprises, {repaired} réparées, {refused} refusées</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="361" />
            <source>{target} ({backend}): {counts}</source>
            <translation>{target} ({backend}) : {counts}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="357" />
            <source>{} cameras</source>
            <translation>{} caméras</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="140" />
            <source>{} control(s); the first has nothing to compare with.</source>
            <translation>{} contrôle(s) ; le premier n'a rien à comparer.</translation>
        </message>
        <message>
            <location filename="../gui/transparency_box.py" line="144" />
            <source>{} controls; no drift at the latest ({} sectors compared).</source>
            <translation>{} contrôles ; aucune dérive au dernier ({} secteurs comparés).</translation>
        </message>
        <message>
            <location filename="../settings.py" line="178" />
            <source>{} does not measure in metres: choose a projected CRS in metres (EPSG:2154, Lambert-93, for France).</source>
            <translation>{} ne mesure pas en mètres : choisissez un SCR projeté en mètres (EPSG:2154, Lambert-93, pour la France).</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="128" />
            <location filename="../processing/algorithms/fairness_audit.py" line="129" />
            <source>{} events have a score_detail that does not add up to their score</source>
            <translation>{} événements ont un score_detail dont la somme ne fait pas leur score</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/score_events.py" line="147" />
            <location filename="../processing/algorithms/score_events.py" line="148" />
            <source>{} events scored, {} not scored; {} facts used, {} refused</source>
            <translation>{} événements scorés, {} non scorés ; {} faits utilisés, {} refusés</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/fairness_audit.py" line="116" />
            <location filename="../processing/algorithms/fairness_audit.py" line="117" />
            <source>{} events without a score are left out of the audit (features {})</source>
            <translation>{} événements sans score sont écartés de l'audit (entités {})</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/helpers.py" line="97" />
            <source>{} events without a score are left out: {}</source>
            <translation>{} événements sans score sont écartés : {}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="352" />
            <source>{} facts</source>
            <translation>{} faits</translation>
        </message>
        <message>
            <location filename="../gui/runner.py" line="81" />
            <location filename="../gui/tasks.py" line="86" />
            <source>{} failed: {}</source>
            <translation>{} a échoué : {}</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="266" />
            <source>{} features in the whole table (points, itineraries and areas), fields matched</source>
            <translation>{} entités dans toute la table (points, itinéraires et zones), champs associés</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="268" />
            <source>{} features, fields matched</source>
            <translation>{} entités, champs associés</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="333" />
            <source>{} h after</source>
            <translation>{} h après</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="332" />
            <source>{} h before</source>
            <translation>{} h avant</translation>
        </message>
        <message>
            <location filename="../gui/layers.py" line="177" />
            <source>{} holds no observatory layer (sectors, axes, cameras, events, facts)</source>
            <translation>{} ne contient aucune couche d'observatoire (secteurs, axes, caméras, événements, faits)</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="336" />
            <source>{} most similar events</source>
            <translation>{} événements les plus similaires</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/import_layer.py" line="134" />
            <source>{} now holds {} {}</source>
            <translation>{} contient maintenant {} {}</translation>
        </message>
        <message>
            <location filename="../report/event_sheet.py" line="373" />
            <source>{} participants</source>
            <translation>{} participants</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="353" />
            <source>{} past events</source>
            <translation>{} événements passés</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="354" />
            <source>{} planned events</source>
            <translation>{} événements prévus</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/offline.py" line="95" />
            <location filename="../processing/algorithms/offline.py" line="96" />
            <source>{} planned events added, {} edits pushed, {} conflicts, {} audit rows pushed</source>
            <translation>{} événements prévus ajoutés, {} modifications renvoyées, {} conflits, {} lignes d'audit renvoyées</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="179" />
            <location filename="../processing/algorithms/predict_events.py" line="180" />
            <source>{} planned events could not be written to the output ({}): a memory layer holds one geometry type, write mixed points, itineraries and areas to a GeoPackage</source>
            <translation>{} événements prévus n'ont pas pu être écrits dans la sortie ({}) : une couche mémoire ne contient qu'un type de géométrie, écrivez les points, itinéraires et zones mélangés dans un GeoPackage</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/predict_events.py" line="187" />
            <location filename="../processing/algorithms/predict_events.py" line="188" />
            <source>{} planned events predicted, {} without a transfer, in {:.2f} s</source>
            <translation>{} événements prévus prédits, {} sans transfert, en {:.2f} s</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="355" />
            <source>{} sectors</source>
            <translation>{} secteurs</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="356" />
            <source>{} traffic axes</source>
            <translation>{} axes de circulation</translation>
        </message>
        <message>
            <location filename="../gui/results_panel.py" line="246" />
            <source>{} warnings: same place, same time</source>
            <translation>{} alertes : même lieu, même moment</translation>
        </message>
        <message>
            <location filename="../gui/runner.py" line="66" />
            <location filename="../gui/tasks.py" line="82" />
            <source>{}: cancelled</source>
            <translation>{} : annulé</translation>
        </message>
        <message>
            <location filename="../gui/data_panel.py" line="331" />
            <location filename="../gui/data_panel.py" line="332" />
            <source>{}: map the fields {} first (button “Fields…”).</source>
            <translation>{} : associez d'abord les champs {} (bouton « Champs… »).</translation>
        </message>
        <message>
            <location filename="../gui/store_session.py" line="143" />
            <source>{}: the layer is the store's own, nothing to import</source>
            <translation>{} : la couche appartient à l'entrepôt, rien à importer</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/make_demo_city.py" line="63" />
            <source>{}: {} features</source>
            <translation>{} : {} entités</translation>
        </message>
        <message>
            <location filename="../processing/algorithms/transparency.py" line="209" />
            <source>{}: {} records before {} turned into {} count cells; {} kept in detail</source>
            <translation>{} : {} enregistrements antérieurs au {} transformés en {} cellules de comptage ; {} conservés en détail</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="318" />
            <source>×</source>
            <translation>×</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="242" />
            <location filename="../gui/audit_panel.py" line="243" />
            <source>⚠ Score driven mostly (over {t}) by police-initiated facts in: {s}. The model may feed on its own patrols there.</source>
            <translation>⚠ Score surtout dû (plus de {t}) à des faits d'initiative policière dans : {s}. Le modèle risque de s'y nourrir de ses propres patrouilles.</translation>
        </message>
    </context>
</TS>
