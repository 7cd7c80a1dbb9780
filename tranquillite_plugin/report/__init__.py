"""Reports: offscreen map images and the event sheet (QGIS layouts)."""
