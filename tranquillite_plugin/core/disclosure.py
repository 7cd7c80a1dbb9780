"""The algorithm notice and the record of processing as documents (issue 17), in French and English.

The figures come from ``store.disclosure.gather`` (the store and the current
model); this module only puts them into sentences and tables:

* :func:`notice` — the four items of the *Code des relations entre le public
  et l'administration*, art. R311-3-1-2: degree and mode of contribution to
  the decision, data processed and their sources, parameters and their
  weights, operations performed; plus the quality of the latest backtest.
* :func:`record` — the record of processing (GDPR art. 30 in spirit):
  purposes, data categories, recipients, retention, security measures, and an
  impact-analysis annex (the risks the CNIL and the seeds name, each with its
  control and its current measured value).

A document is a list of blocks: ``("h1", text)``, ``("h2", text)``,
``("p", text)``, ``("warn", text)``, ``("table", headers, rows)``.
``report.notice`` renders them. Pure Python: no QGIS import.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

LANGS = ("fr", "en")

# --- the bilingual table ----------------------------------------------------------------------------

T: Dict[str, Dict[str, str]] = {
    "notice_title": {"fr": "Notice du traitement algorithmique", "en": "Algorithm notice"},
    "notice_sub": {
        "fr": "Observatoire de la tranquillité publique — règles du traitement (CRPA, art. L311-3-1 et R311-3-1-2)",
        "en": "Public-order observatory — rules of the processing (French CRPA, art. L311-3-1 and R311-3-1-2)",
    },
    "generated": {
        "fr": "Document produit le {at} à partir du magasin {store} et du modèle en service ; aucun chiffre n'est saisi à la main.",
        "en": "Generated on {at} from store {store} and the model in service; no figure is typed by hand.",
    },
    "s1": {"fr": "1. Degré et mode de contribution du traitement à la décision",
           "en": "1. Degree and mode of contribution of the processing to the decision"},
    "s1_p1": {
        "fr": "Le score est un avis donné à un opérateur, qui décide. Il ne prend aucune décision par lui-même et n'est jamais "
              "appliqué automatiquement.",
        "en": "The score is advice to an operator, who decides. It takes no decision by itself and is never applied automatically.",
    },
    "s1_p2": {
        "fr": "Il éclaire la planification des événements et le dimensionnement des moyens (effectifs, dispositifs) autour "
              "d'un événement prévu. Il ne sert jamais à une décision concernant une personne : l'observatoire ne "
              "détient aucune donnée à caractère personnel.",
        "en": "It informs event planning and staffing (staff, arrangements) around a planned event. It never feeds any "
              "decision about a person: the observatory holds no personal data.",
    },
    "s1_p3": {
        "fr": "Avec chaque score, l'opérateur voit les événements passés semblables qui l'ont produit, leurs faits par "
              "catégorie et l'importance de chaque axe : il peut le discuter et l'écarter.",
        "en": "With each score the operator sees the similar past events that produced it, their facts by category and the "
              "importance of each axis: the score can be questioned and set aside.",
    },
    "s2": {"fr": "2. Données traitées et leurs sources", "en": "2. Data processed and their sources"},
    "s2_p1": {
        "fr": "Le magasin contient les couches suivantes ; seuls les champs du contrat de données sont conservés.",
        "en": "The store holds the following layers; only the fields of the data contract are kept.",
    },
    "layer_h": {"fr": ["Couche", "Nombre", "Champs", "Du", "Au"], "en": ["Layer", "Count", "Fields", "From", "To"]},
    "s2_sources": {"fr": "Sources des faits (valeur du champ « source ») :", "en": "Sources of the facts (values of the field 'source'):"},
    "source_h": {"fr": ["Source", "Faits"], "en": ["Source", "Facts"]},
    "no_source": {"fr": "(non renseignée)", "en": "(not given)"},
    "s2_guard": {
        "fr": "Garde-fou des données personnelles : à chaque import, les champs dont le nom ou le contenu paraît personnel "
              "sont refusés, sauf s'ils sont supprimés. Décisions enregistrées (noms de champs et motifs, jamais les valeurs) :",
        "en": "Personal-data guard: at every import, fields whose name or content looks personal are refused unless dropped. "
              "Decisions recorded (field names and reasons, never the values):",
    },
    "guard_h": {"fr": ["Import", "Date", "Couche", "Décision", "Champs écartés et motifs"],
                "en": ["Import", "Date", "Layer", "Decision", "Fields set aside and reasons"]},
    "imported": {"fr": "importée", "en": "imported"},
    "refused": {"fr": "refusée", "en": "refused"},
    "none": {"fr": "aucun", "en": "none"},
    "by_user": {"fr": "supprimé par l'utilisateur", "en": "dropped by the user"},
    "s3": {"fr": "3. Paramètres du traitement et leur pondération", "en": "3. Parameters of the processing and their weights"},
    "no_model": {"fr": "Aucun modèle n'est enregistré dans le magasin : les paramètres du modèle ne peuvent être donnés.",
                 "en": "No model is saved in the store: the model's parameters cannot be given."},
    "s3_axes": {
        "fr": "Axes factoriels utilisés pour trouver les événements passés semblables, avec leur importance mesurée "
              "(part de la réduction d'erreur de la forêt) :",
        "en": "Factor axes used to find similar past events, with their measured importance (share of the forest's "
              "error reduction):",
    },
    "axes_h": {"fr": ["Axe", "Importance"], "en": ["Axis", "Importance"]},
    "param_h": {"fr": ["Paramètre", "Valeur"], "en": ["Parameter", "Value"]},
    "p_radius": {"fr": "Rayon autour de l'emprise", "en": "Radius around the footprint"},
    "p_window": {"fr": "Fenêtre de temps (avant le début / après la fin)", "en": "Time window (before start / after end)"},
    "p_widths": {"fr": "Largeur d'un itinéraire (demi-largeur) / rayon d'un point", "en": "Itinerary half-width / point radius"},
    "p_k": {"fr": "Nombre d'événements semblables (k)", "en": "Number of similar events (k)"},
    "p_trees": {"fr": "Nombre d'arbres", "en": "Number of trees"},
    "p_leaf": {"fr": "Événements minimum par feuille", "en": "Minimum events per leaf"},
    "p_avg": {"fr": "Moyenne du transfert", "en": "Averaging of the transfer"},
    "avg_raw": {"fr": "moyenne des scores pondérée par la proximité", "en": "proximity-weighted mean of the scores"},
    "avg_log": {"fr": "moyenne géométrique de 1 + score pondérée par la proximité",
                "en": "proximity-weighted geometric mean of 1 + score"},
    "p_period": {"fr": "Période d'apprentissage", "en": "Training period"},
    "p_n": {"fr": "Événements appris", "en": "Events learnt"},
    "p_fp": {"fr": "Empreinte du modèle", "en": "Model fingerprint"},
    "p_conf": {"fr": "Configuration", "en": "Configuration"},
    "s3_weights": {"fr": "Pondération des catégories de faits dans le score :", "en": "Weights of the fact categories in the score:"},
    "weights_h": {"fr": ["Catégorie", "Poids"], "en": ["Category", "Weight"]},
    "s4": {"fr": "4. Opérations effectuées", "en": "4. Operations performed"},
    "op_score": {
        "fr": "Le score. Pour chaque événement passé, on compte les faits survenus à moins de {r} de son emprise, entre {b} "
              "avant son début et {a} après sa fin ; chaque fait compte autant que le poids de sa catégorie. Le score est "
              "la somme de ces poids.",
        "en": "The score. For each past event, the facts within {r} of its footprint, between {b} before its start and {a} "
              "after its end, are counted; each fact counts its category's weight. The score is the sum of those weights.",
    },
    "op_forest": {
        "fr": "La forêt. Une forêt aléatoire de {n} arbres de décision apprend le logarithme de 1 + score à partir des axes "
              "factoriels des événements passés. Elle ne sert pas à prédire directement : elle sert à dire quels "
              "événements se ressemblent.",
        "en": "The forest. A random forest of {n} decision trees learns the logarithm of 1 + score from the past events' factor "
              "axes. It is not used to predict directly: it says which events are alike.",
    },
    "op_prox": {
        "fr": "La proximité. Deux événements sont proches quand ils tombent dans la même feuille de nombreux arbres ; la "
              "proximité est la part des arbres où c'est le cas. Seuls les événements commencés avant l'événement prévu "
              "peuvent servir.",
        "en": "The proximity. Two events are close when they fall in the same leaf of many trees; the proximity is the share "
              "of trees in which they do. Only events that started before the planned one may serve.",
    },
    "op_transfer": {
        "fr": "Le transfert. L'événement prévu reçoit la {avg} de ses {k} événements passés les plus proches, avec une "
              "fourchette de 10 % à 90 % ({band}).",
        "en": "The transfer. The planned event gets the {avg} of its {k} closest past events, with a 10 %–90 % band ({band}).",
    },
    "example": {
        "fr": "Exemple tiré du magasin : l'événement {id} ({nature}, {p} participants, {start}, secteur {sector}) a un score "
              "observé de {obs}. Transféré à partir des {n} événements semblables parmi les {c} qui l'ont précédé, il "
              "reçoit {pred} (fourchette {lo} – {hi}). Les plus proches :",
        "en": "Example from the store: event {id} ({nature}, {p} participants, {start}, sector {sector}) has an observed score "
              "of {obs}. Transferred from its {n} similar events among the {c} that came before it, it gets {pred} (band "
              "{lo} – {hi}). The closest:",
    },
    "sim_h": {"fr": ["Événement", "Nature", "Début", "Proximité", "Score"], "en": ["Event", "Nature", "Start", "Proximity", "Score"]},
    "s5": {"fr": "5. Qualité mesurée", "en": "5. Measured quality"},
    "no_backtest": {"fr": "Aucun backtest n'est enregistré dans le journal d'audit du magasin.",
                    "en": "No backtest is recorded in the store's audit trail."},
    "bt_p": {
        "fr": "Dernier backtest (ligne {seq} du journal, {at}) : apprentissage sur {ntr} événements, prédiction des {nte} "
              "suivants (coupure {cut}), comparé à des méthodes de référence.",
        "en": "Latest backtest (audit row {seq}, {at}): trained on {ntr} events, predicting the {nte} after them (cut {cut}), "
              "next to baselines.",
    },
    "bt_h": {"fr": ["Méthode", "Spearman", "Erreur log1p", "Décile supérieur"], "en": ["Method", "Spearman", "MAE log1p", "Top-decile hit"]},
    "s6": {"fr": "6. Contrôle régulier", "en": "6. Regular control"},
    "ctrl_none": {"fr": "Aucun contrôle d'équité n'a encore été enregistré.", "en": "No fairness control has been recorded yet."},
    "ctrl_p": {
        "fr": "À chaque apprentissage, l'audit d'équité par secteur est comparé au précédent : {n} contrôles enregistrés. "
              "Règle : dérive si la part des faits d'initiative policière varie de plus de {s} points, si le résidu moyen "
              "log1p de ses événements récents varie de plus de {r} (au moins {mp} événements prédits), ou si un secteur "
              "devient signalé (secteurs d'au moins {m} événements).",
        "en": "At every training the per-sector fairness audit is compared with the previous one: {n} controls recorded. Rule: "
              "drift when the share of police-initiated facts moves by more than {s} points, when the mean log1p residual "
              "of its recent events moves by more than {r} (at least {mp} predicted events), or when a sector becomes flagged "
              "(sectors of at least {m} events).",
    },
    "ctrl_ok": {"fr": "Dernier contrôle : aucune dérive sur {c} secteurs comparés.", "en": "Latest control: no drift over {c} sectors compared."},
    "ctrl_drift": {"fr": "Dérive détectée au dernier contrôle dans : {s}.", "en": "Drift detected at the latest control in: {s}."},
    "ctrl_first": {"fr": "Dernier contrôle : premier instantané, rien à comparer.", "en": "Latest control: first snapshot, nothing to compare."},
    "drift_h": {"fr": ["Secteur", "Motif", "Part policière avant", "après"], "en": ["Sector", "Reason", "Police share before", "after"]},
    # record of processing
    "record_title": {"fr": "Registre du traitement", "en": "Record of processing"},
    "record_sub": {"fr": "Dans l'esprit de l'article 30 du RGPD — lu dans la configuration en service",
                   "en": "In the spirit of GDPR article 30 — read from the live configuration"},
    "r_purpose": {"fr": "Finalités", "en": "Purposes"},
    "r_purpose_p": {
        "fr": "Cartographier les faits et les événements de l'espace public ; estimer, pour un événement prévu, un score "
              "transféré des événements passés semblables afin d'aider à planifier l'événement et à dimensionner les moyens ; "
              "rendre compte (audit, contrôle d'équité, tendances). Aucune finalité ne concerne une personne.",
        "en": "Mapping facts and events in public space; estimating, for a planned event, a score transferred from similar past "
              "events to help plan it and size the staffing; accounting for it (audit, fairness control, trends). No purpose "
              "concerns a person.",
    },
    "r_cats": {"fr": "Catégories de données", "en": "Categories of data"},
    "r_nopd": {
        "fr": "Aucune donnée à caractère personnel n'est détenue : le garde-fou a examiné {n} imports, en a refusé {r} et a "
              "écarté {d} champs (détaillés dans la notice) ; les tables ne contiennent que les champs du contrat.",
        "en": "No personal data is held: the guard examined {n} imports, refused {r} and set aside {d} fields (listed in the notice); the "
              "tables hold only the contract's fields.",
    },
    "r_recipients": {"fr": "Destinataires (rôles)", "en": "Recipients (roles)"},
    "roles_h": {"fr": ["Rôle", "Rôle PostgreSQL", "Comptes"], "en": ["Role", "PostgreSQL role", "Logins"]},
    "roles_none": {"fr": "Rôles : non configurés ({why}).", "en": "Roles: not configured ({why})."},
    "r_retention": {"fr": "Durées de conservation", "en": "Retention"},
    "ret_h": {"fr": ["Couche", "Détail conservé", "Ensuite"], "en": ["Layer", "Detail kept", "Then"]},
    "ret_keep": {"fr": "sans limite", "en": "no limit"},
    "ret_months": {"fr": "{m} mois", "en": "{m} months"},
    "ret_then": {"fr": "comptes par secteur × mois × catégorie, détail supprimé", "en": "counts per sector × month × category, detail deleted"},
    "ret_runs": {"fr": "Conservation appliquée {n} fois ; {c} enregistrements agrégés au total.",
                 "en": "Retention applied {n} times; {c} records aggregated in all."},
    "r_security": {"fr": "Mesures de sécurité en vigueur", "en": "Security measures in force"},
    "sec_h": {"fr": ["Mesure", "État"], "en": ["Measure", "State"]},
    "sec_backend": {"fr": "Stockage", "en": "Storage"},
    "sec_tls": {"fr": "Chiffrement des échanges (TLS)", "en": "Encryption in transit (TLS)"},
    "sec_audit": {"fr": "Journal d'audit chaîné", "en": "Hash-chained audit trail"},
    "sec_server": {"fr": "Chaînage par le serveur", "en": "Server-side chaining"},
    "sec_anchor": {"fr": "Ancrage / signature du journal", "en": "Audit anchoring / signing"},
    "sec_guard": {"fr": "Garde-fou des données personnelles", "en": "Personal-data guard"},
    "sec_file": {"fr": "Droits du fichier", "en": "File permissions"},
    "intact": {"fr": "intact, {n} lignes", "en": "intact, {n} rows"},
    "broken": {"fr": "ROMPU ({n} lignes)", "en": "BROKEN ({n} rows)"},
    "annex": {"fr": "Annexe — analyse d'impact", "en": "Annex — impact analysis"},
    "annex_p": {
        "fr": "Les risques nommés par la CNIL et dans les questions adressées à la Ville, chacun avec le contrôle qui y répond "
              "et sa valeur mesurée aujourd'hui.",
        "en": "The risks named by the CNIL and in the questions put to the city, each with the control that addresses it and "
              "its value measured today.",
    },
    "risk_h": {"fr": ["Risque", "Contrôle", "Valeur mesurée"], "en": ["Risk", "Control", "Measured value"]},
    "risk_disc": {"fr": "Discrimination entre secteurs", "en": "Discrimination between sectors"},
    "risk_disc_c": {"fr": "Audit d'équité par secteur et contrôle régulier à chaque apprentissage",
                    "en": "Per-sector fairness audit and regular control at every training"},
    "risk_disc_v": {"fr": "{d} secteur(s) en dérive au dernier contrôle ({c} contrôles)", "en": "{d} sector(s) drifting at the latest control ({c} controls)"},
    "risk_patrol": {"fr": "Prophétie auto-réalisatrice (le modèle envoie les patrouilles là où elles sont déjà)",
                    "en": "Self-fulfilling patrols (the model sends patrols where they already are)"},
    "risk_patrol_c": {"fr": "Part du score due aux faits d'initiative policière, secteurs signalés au-delà de {t}, option de les sous-pondérer",
                      "en": "Share of the score due to police-initiated facts, sectors flagged above {t}, option to down-weight them"},
    "risk_patrol_v": {"fr": "{s} du score ; secteurs signalés : {f}", "en": "{s} of the score; sectors flagged: {f}"},
    "risk_reid": {"fr": "Ré-identification de personnes", "en": "Re-identification of persons"},
    "risk_reid_c": {"fr": "Garde-fou à l'import, contrat de données sans champ personnel, export agrégé avec effectif minimal, "
                            "conservation limitée",
                    "en": "Guard at import, data contract without personal fields, aggregated export with a minimum count, "
                          "limited retention"},
    "risk_reid_v": {"fr": "{r} import(s) refusé(s), {d} champ(s) écarté(s), {p} champ(s) personnel(s) détenu(s)",
                    "en": "{r} import(s) refused, {d} field(s) set aside, {p} personal field(s) held"},
    "na": {"fr": "n.d.", "en": "n/a"},
    "kinds": {"fr": "facts=faits,events=événements,sectors=secteurs,axes=axes de circulation,cameras=caméras,planned=événements prévus",
              "en": "facts=facts,events=events,sectors=sectors,axes=traffic axes,cameras=cameras,planned=planned events"},
}


#: French for the states ``store.disclosure`` reads from the live configuration (it writes them in English)
PHRASES_FR = {
    "not configured": "non configuré",
    "not applicable (embedded GeoPackage, no network)": "sans objet (GeoPackage embarqué, pas de réseau)",
    "not applicable (client-side hash chain in the file)": "sans objet (chaîne d'empreintes tenue dans le fichier)",
    "in force (server triggers)": "en vigueur (déclencheurs du serveur)",
    "in force at every import (core.privacy)": "en vigueur à chaque import (core.privacy)",
    "off (connection not encrypted)": "désactivé (connexion non chiffrée)",
    "embedded GeoPackage: access is the file's permissions": "GeoPackage embarqué : l'accès est celui des droits du fichier",
}


def phrase(text: str, lang: str) -> str:
    return PHRASES_FR.get(text, text) if lang == "fr" else text


def t(key: str, lang: str, **kw) -> Any:
    value = T[key]["fr" if lang == "fr" else "en"]
    return value.format(**kw) if kw and isinstance(value, str) else value


def kind_label(kind: str, lang: str) -> str:
    table = dict(p.split("=", 1) for p in t("kinds", lang).split(","))
    return table.get(kind, kind)


def _date(iso: Optional[str], lang: str) -> str:
    if not iso:
        return t("na", lang)
    return str(iso)[:10] if lang != "fr" else "/".join(reversed(str(iso)[:10].split("-")))


def _dt(iso: Optional[str], lang: str) -> str:
    """A date and time, in Paris time when the text carries an offset or a Z."""
    if not iso:
        return t("na", lang)
    text = str(iso)
    try:
        import pandas as pd

        ts = pd.Timestamp(text)
        if ts.tzinfo is not None:
            text = ts.tz_convert("Europe/Paris").isoformat()
    except (ValueError, TypeError):
        pass
    return _date(text, lang) + (" " + text[11:16] if len(text) >= 16 else "")


def _n(v, digits: int = 0, lang: str = "en") -> str:
    if v is None:
        return t("na", lang)
    text = f"{float(v):,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", " ").replace(".", ",")
    return text


def _pct(v, lang: str) -> str:
    if v is None:
        return t("na", lang)
    return _n(100 * float(v), 1, lang) + " %"


def _unit(v, unit: str, lang: str) -> str:
    return t("na", lang) if v is None else f"{_n(v, 0 if float(v).is_integer() else 1, lang)} {unit}"


# --- the notice ------------------------------------------------------------------------------------


def notice(f: Dict[str, Any], lang: str = "fr") -> List[tuple]:
    """The algorithm notice's blocks from the figures ``f`` (store.disclosure.gather)."""
    doc: List[tuple] = [("h1", t("notice_title", lang)), ("sub", t("notice_sub", lang)),
                        ("p", t("generated", lang, at=_dt(f["generated_at"], lang), store=f["store"]))]
    doc += _drift_warning(f, lang)
    doc += [("h2", t("s1", lang)), ("p", t("s1_p1", lang)), ("p", t("s1_p2", lang)), ("p", t("s1_p3", lang))]
    doc += _data_section(f, lang)
    doc += _parameters_section(f, lang)
    doc += _operations_section(f, lang)
    doc += _quality_section(f, lang)
    doc += _control_section(f, lang)
    return doc


def _drift_warning(f, lang) -> List[tuple]:
    latest = (f.get("fairness") or {}).get("latest")
    if latest and latest.get("drifted"):
        return [("warn", t("ctrl_drift", lang, s=", ".join(latest["drifted"])))]
    return []


def _data_section(f, lang) -> List[tuple]:
    rows = []
    for layer in f["layers"]:
        count = _n(layer["count"], 0, lang)
        if layer["kind"] == "events":
            count += f" ({_n(layer.get('past'), 0, lang)} / {_n(layer.get('planned'), 0, lang)})"
        rows.append([kind_label(layer["kind"], lang), count, ", ".join(layer["fields"]),
                     _date(layer["first"], lang) if layer["first"] else "—", _date(layer["last"], lang) if layer["last"] else "—"])
    out = [("h2", t("s2", lang)), ("p", t("s2_p1", lang)), ("table", t("layer_h", lang), rows)]
    out += [("p", t("s2_sources", lang)),
            ("table", t("source_h", lang), [[s["source"] or t("no_source", lang), _n(s["count"], 0, lang)] for s in f["sources"]])]
    guard_rows = []
    for g in f["guard"]:
        fields = "; ".join(
            f"{x['field']} ({', '.join(x['reasons']) if x['reasons'] else t('by_user', lang)})" for x in g["fields"]
        ) or t("none", lang)
        guard_rows.append([str(g["seq"]), _dt(g["at"], lang), f"{g['layer']} ({kind_label(g['kind'], lang)})",
                           t("refused" if g["decision"] == "refused" else "imported", lang), fields])
    out += [("p", t("s2_guard", lang)), ("table", t("guard_h", lang), guard_rows)]
    return out


def _parameters_section(f, lang) -> List[tuple]:
    m = f.get("model")
    out: List[tuple] = [("h2", t("s3", lang))]
    if not m:
        return out + [("p", t("no_model", lang))]
    label = "label_fr" if lang == "fr" else "label_en"
    out += [("p", t("s3_axes", lang)),
            ("table", t("axes_h", lang), [[a[label], _pct(a["importance"], lang)] for a in m["importances"]])]
    avg = t("avg_log" if m["averaging"] == "log" else "avg_raw", lang)
    rows = [
        [t("p_radius", lang), _unit(m["radius_m"], "m", lang)],
        [t("p_window", lang), f"{_unit(m['before_h'], 'h', lang)} / {_unit(m['after_h'], 'h', lang)}"],
        [t("p_widths", lang), f"{_unit(m['line_buffer_m'], 'm', lang)} / {_unit(m['point_buffer_m'], 'm', lang)}"],
        [t("p_k", lang), _n(m["k"], 0, lang)],
        [t("p_trees", lang), _n(m["n_trees"], 0, lang)],
        [t("p_leaf", lang), _n(m["min_leaf"], 0, lang)],
        [t("p_avg", lang), avg],
        [t("p_period", lang), f"{_date(m['period'][0], lang)} – {_date(m['period'][1], lang)}"],
        [t("p_n", lang), _n(m["n_events"], 0, lang)],
        [t("p_conf", lang), m["configuration"]],
        [t("p_fp", lang), m["fingerprint"]],
    ]
    out += [("table", t("param_h", lang), rows), ("p", t("s3_weights", lang)),
            ("table", t("weights_h", lang), [[k, _n(v, 2, lang)] for k, v in sorted(m["weights"].items())])]
    return out


def _operations_section(f, lang) -> List[tuple]:
    m = f.get("model") or {}
    out: List[tuple] = [("h2", t("s4", lang))]
    out.append(("p", t("op_score", lang, r=_unit(m.get("radius_m"), "m", lang), b=_unit(m.get("before_h"), "h", lang),
                       a=_unit(m.get("after_h"), "h", lang))))
    out.append(("p", t("op_forest", lang, n=_n(m.get("n_trees"), 0, lang))))
    out.append(("p", t("op_prox", lang)))
    avg = t("avg_log" if m.get("averaging") == "log" else "avg_raw", lang)
    out.append(("p", t("op_transfer", lang, avg=avg, k=_n(m.get("k"), 0, lang), band=m.get("band") or t("na", lang))))
    ex = f.get("example")
    if ex:
        out.append(("p", t("example", lang, id=ex["event_id"], nature=ex["nature"], p=_n(ex["participants"], 0, lang),
                           start=_dt(ex["start"], lang), sector=ex["sector"] or t("na", lang), obs=_n(ex["observed"], 1, lang),
                           n=ex["n_similar"], c=_n(ex["n_candidates"], 0, lang), pred=_n(ex["predicted"], 1, lang),
                           lo=_n(ex["band"][0], 1, lang), hi=_n(ex["band"][1], 1, lang))))
        out.append(("table", t("sim_h", lang), [[s["event_id"], s["nature"], _dt(s["start"], lang), _n(s["proximity"], 2, lang),
                                                 _n(s["score"], 1, lang)] for s in ex["similar"]]))
    return out


def _quality_section(f, lang) -> List[tuple]:
    b = f.get("backtest")
    out: List[tuple] = [("h2", t("s5", lang))]
    if not b:
        return out + [("p", t("no_backtest", lang))]
    out.append(("p", t("bt_p", lang, seq=b["seq"], at=_dt(b["at"], lang), ntr=_n(b["n_train"], 0, lang),
                       nte=_n(b["n_test"], 0, lang), cut=_date(b["cut"], lang))))
    rows = [[method, _n(v.get("spearman"), 3, lang), _n(v.get("mae_log1p"), 3, lang), _pct(v.get("top_decile_hit"), lang)]
            for method, v in b["metrics"].items()]
    return out + [("table", t("bt_h", lang), rows)]


def _control_section(f, lang) -> List[tuple]:
    fair = f.get("fairness") or {}
    out: List[tuple] = [("h2", t("s6", lang))]
    latest = fair.get("latest")
    if not latest:
        return out + [("p", t("ctrl_none", lang))]
    rule = latest["rule"]
    out.append(("p", t("ctrl_p", lang, n=len(fair["history"]), s=_n(100 * rule["share_delta"], 0, lang),
                       r=_n(rule["residual_delta"], 2, lang), m=rule["min_events"],
                       mp=rule.get("min_predicted", 10))))
    if latest.get("first"):
        out.append(("p", t("ctrl_first", lang)))
    elif not latest["drifted"]:
        out.append(("p", t("ctrl_ok", lang, c=latest["compared"])))
    else:
        out.append(("warn", t("ctrl_drift", lang, s=", ".join(latest["drifted"]))))
        out.append(("table", t("drift_h", lang), [[d["sector"], ", ".join(d["reasons"]), _pct(d["share_before"], lang),
                                                   _pct(d["share_after"], lang)] for d in latest["drifts"]]))
    if len(fair["history"]) > 1:
        out.append(("chart", _history_series(fair["history"])))
    return out


def _history_series(history) -> Dict[str, Any]:
    """{labels: [...], drifted: [...], shares: {sector: [...]}} for the control's chart."""
    sectors = sorted({s for h in history for s in h["shares"]})
    return {"labels": [str(h["period_end"] or h["at"])[:10] for h in history],
            "drifted": [len(h["drifted"]) for h in history],
            "shares": {s: [h["shares"].get(s) for h in history] for s in sectors}}


# --- the record of processing ----------------------------------------------------------------------


def record(f: Dict[str, Any], lang: str = "fr") -> List[tuple]:
    doc: List[tuple] = [("h1", t("record_title", lang)), ("sub", t("record_sub", lang)),
                        ("p", t("generated", lang, at=_dt(f["generated_at"], lang), store=f["store"]))]
    doc += [("h2", t("r_purpose", lang)), ("p", t("r_purpose_p", lang))]
    guard = f["guard"]
    refused = sum(1 for g in guard if g["decision"] == "refused")
    dropped = sum(len(g["fields"]) for g in guard if g["decision"] != "refused")
    doc += [("h2", t("r_cats", lang)),
            ("table", t("layer_h", lang)[:3], [[kind_label(x["kind"], lang), _n(x["count"], 0, lang), ", ".join(x["fields"])]
                                               for x in f["layers"]]),
            ("p", t("r_nopd", lang, n=len(guard), r=refused, d=dropped))]
    roles = f["roles"]
    doc.append(("h2", t("r_recipients", lang)))
    if roles["configured"]:
        doc.append(("table", t("roles_h", lang), [[r["role"], r["name"], str(r["logins"])] for r in roles["roles"]]))
    else:
        doc.append(("p", t("roles_none", lang, why=phrase(roles["why"], lang))))
    doc.append(("h2", t("r_retention", lang)))
    rows = []
    for kind, months in f["retention"].items():
        rows.append([kind_label(kind, lang), t("ret_keep", lang) if months is None else t("ret_months", lang, m=months),
                     "—" if months is None else t("ret_then", lang)])
    doc.append(("table", t("ret_h", lang), rows))
    runs = f.get("retention_runs") or []
    doc.append(("p", t("ret_runs", lang, n=len(runs), c=_n(sum(f["retention_counts"].values()), 0, lang))))
    s = f["security"]
    sec_rows = [
        [t("sec_backend", lang), f"{f['backend']} ({f['store']})"],
        [t("sec_tls", lang), phrase(s["tls"], lang)],
        [t("sec_audit", lang), t("intact" if s["audit_intact"] else "broken", lang, n=s["audit_rows"])],
        [t("sec_server", lang), phrase(s["audit_server_chain"], lang)],
        [t("sec_anchor", lang), phrase(s["audit_anchoring"], lang)],
        [t("sec_guard", lang), phrase(s["personal_data_guard"], lang)],
    ]
    if "file_mode" in s:
        sec_rows.append([t("sec_file", lang), s["file_mode"]])
    doc += [("h2", t("r_security", lang)), ("table", t("sec_h", lang), sec_rows)]
    doc += _annex(f, lang, refused, dropped)
    return doc


def _annex(f, lang, refused, dropped) -> List[tuple]:
    fair = f.get("fairness") or {}
    latest = fair.get("latest") or {}
    now = f.get("fairness_now") or {}
    flagged = ", ".join(now.get("flagged") or []) or t("none", lang)
    rows = [
        [t("risk_disc", lang), t("risk_disc_c", lang),
         t("risk_disc_v", lang, d=len(latest.get("drifted") or []), c=len(fair.get("history") or []))],
        [t("risk_patrol", lang), t("risk_patrol_c", lang, t=_pct(now.get("threshold", 0.5), lang)),
         t("risk_patrol_v", lang, s=_pct(now.get("police_score_share"), lang), f=flagged)],
        [t("risk_reid", lang), t("risk_reid_c", lang), t("risk_reid_v", lang, r=refused, d=dropped, p=len(f.get("extra_columns") or []))],
    ]
    return [("h2", t("annex", lang)), ("p", t("annex_p", lang)), ("table", t("risk_h", lang), rows)]
