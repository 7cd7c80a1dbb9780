"""GDAL/OGR calls that fail loudly, without touching GDAL's process-wide state.

GDAL's Python bindings raise only after ``UseExceptions()``: a switch shared by
every plugin in the QGIS process (per module, process-wide up to GDAL 3.6, which
Debian 12 ships). The plugin never flips it, nor any config option. Instead each
call that can fail goes through :func:`call`, which gives the same result under
either setting of the switch:

- a failure (``None`` where an object was asked for, a non-zero ``OGRErr``, or a
  GDAL error of class ``CE_Failure`` or worse) raises :class:`GdalError`, a
  ``RuntimeError`` carrying GDAL's message;
- GDAL's messages during the call go to :func:`gdal_message`, through an error
  handler pushed for the call only (CPL error handler stacks are per thread).
"""

from __future__ import annotations

import sys


class GdalError(RuntimeError):
    """A GDAL/OGR call failed; the message is GDAL's."""


def gdal_message(err_class, err_no, message) -> None:
    """GDAL's messages, less one about other tools' GeoPackages.

    The store and the plugin's outputs hold UTC datetimes, as the standard says;
    a GeoPackage another tool wrote with offsets makes GDAL warn "Non-conformant
    content" although it reads the exact instant: not the user's concern.
    """
    if "Non-conformant content" in str(message):
        return
    if err_class == 0:  # CE_None
        return
    label = {1: "Debug", 2: "Warning", 3: "Failure", 4: "Fatal"}.get(err_class, "Message")
    print(f"GDAL {label} {err_no}: {message}", file=sys.stderr)


def call(fn, *args, allow_none: bool = False, **kwargs):
    """``fn(*args, **kwargs)`` for a GDAL/OGR/OSR function or method; raises GdalError on failure.

    ``allow_none``: ``None`` is a normal result (``ExecuteSQL`` of a statement
    that returns no rows, ``GetLayerByName`` of an absent layer).
    """
    from osgeo import gdal

    failures = []

    def handler(err_class, err_no, message):
        if err_class >= gdal.CE_Failure:
            failures.append(str(message).strip())
        else:
            gdal_message(err_class, err_no, message)

    gdal.ErrorReset()
    gdal.PushErrorHandler(handler)
    try:
        result = fn(*args, **kwargs)
    except RuntimeError as err:  # the process has exceptions on: same failure, same type
        raise GdalError(str(err).strip() or _name(fn) + " failed") from None
    finally:
        gdal.PopErrorHandler()
    failed = bool(failures) or (result is None and not allow_none) or (type(result) is int and result != 0)
    if failed:
        message = "; ".join(failures) or gdal.GetLastErrorMsg().strip()
        if not message and type(result) is int:
            message = f"OGR error {result}"
        raise GdalError(f"{_name(fn)}: {message}" if message else f"{_name(fn)} failed")
    return result


def batches(stream):
    """The record batches of an Arrow stream (``GetArrowStreamAsNumPy``), failing as :func:`call` does.

    A GeoPackage checks an attribute filter only when rows are fetched: with the
    process's exceptions on, the fetch raises a bare ``RuntimeError`` (GDAL 3.10);
    with them off, it ends early with GDAL's error set.
    """
    from osgeo import gdal

    iterator = iter(stream)
    while True:
        gdal.ErrorReset()
        try:
            batch = next(iterator)
        except StopIteration:
            message = gdal.GetLastErrorMsg().strip() if gdal.GetLastErrorType() >= gdal.CE_Failure else ""
            if message:
                raise GdalError(f"GetNextRecordBatch: {message}") from None
            return
        except RuntimeError as err:
            raise GdalError(f"GetNextRecordBatch: {str(err).strip()}") from None
        yield batch


def _name(fn) -> str:
    return getattr(fn, "__name__", None) or str(fn)

