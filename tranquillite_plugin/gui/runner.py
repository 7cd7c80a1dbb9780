"""The task runner of the docks: starts CoreTasks, tracks them, says when all are over."""

from __future__ import annotations

from typing import List

from qgis.PyQt.QtCore import QObject, pyqtSignal

from tranquillite_plugin.gui import tasks
from tranquillite_plugin.i18n import tr


class Messages(QObject):
    """What the docks tell the user: a failure (red in the status line) or a note."""

    failed = pyqtSignal(str)
    info = pyqtSignal(str)


class TaskRunner(QObject):
    busy = pyqtSignal(str)
    progress = pyqtSignal(float)
    idle = pyqtSignal()

    def __init__(self, messages: Messages, parent=None):
        super().__init__(parent)
        self.messages = messages
        self.running: List[tasks.CoreTask] = []

    def run(self, task: tasks.CoreTask, on_success, on_failure=None, on_cancel=None) -> tasks.CoreTask:
        """Starts a task; its result goes to ``on_success`` on the main thread."""
        self.running.append(task)
        description = task.description()
        over = []

        def forget() -> bool:
            """False when the task was already accounted for (one outcome per task)."""
            if over:
                return False
            over.append(True)
            if task in self.running:
                self.running.remove(task)
            if not self.running:
                self.idle.emit()
            return True

        def succeeded(result):
            if not forget():
                return
            try:
                on_success(result)
            except Exception as err:  # noqa: BLE001 - a display problem is reported, not raised in Qt
                self.report_failure(description, f"{type(err).__name__}: {err}")
                raise

        def failed(message):
            if not forget():
                return
            self.report_failure(description, message)
            if on_failure is not None:
                on_failure(message)

        def cancelled():
            if not forget():
                return
            self.messages.info.emit(tr("{}: cancelled").format(description))
            if on_cancel is not None:
                on_cancel()

        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        task.was_cancelled.connect(cancelled)
        # a task cancelled before it started is terminated without running finished()
        task.taskTerminated.connect(lambda: cancelled() if task.error is None else None)
        task.progressChanged.connect(self.progress.emit)
        self.busy.emit(description)
        tasks.start(task)
        return task

    def report_failure(self, description: str, message: str) -> None:
        self.messages.failed.emit(tr("{} failed: {}").format(description, message))

    def cancel_tasks(self) -> None:
        for task in list(self.running):
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass

    def is_busy(self) -> bool:
        return bool(self.running)
