"""Pure-Python core of Tranquillité publique: data contract, exact score, model.

Nothing here imports QGIS: the core runs in any Python with pandas, shapely
and scikit-learn, and is what the Processing algorithms and docks call.
"""
