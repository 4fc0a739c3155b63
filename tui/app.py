"""The Textual application: screens, global keys, palette, saving in the background."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.filter import LineFilter
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.screen import ModalScreen, Screen

import assets
from store import clock
from store.errors import MoatscopeError
from store.service import Workbench
from store.settings import Settings, load_settings, save_settings
from store.state import record_closed, swap_last_opened
from store.writer import BackgroundWriter
from tui import textual_patches
from tui.commands import APP_COMMANDS, bindings, palette_commands
from tui.company_search import CompanySearch
from tui.key_order import KeyOrder
from tui.leaving import LeavesSaving
from tui.memory import IdleCollector
from tui.printable import Printable
from tui.screens.dialogs import KeptDialog, kept_name
from tui.screens.main import MainScreen
from tui.syncing import SyncsTeam

IDLE_TICK = 0.1
"""Seconds between checks for a pause in which the garbage collector may run."""


@dataclass
class SaveOutcome(Message):
    """The background writer finished a write (``error`` is None on success)."""

    generation: int
    error: MoatscopeError | None


class MoatscopeApp(SyncsTeam, LeavesSaving, App[None]):
    """Browse the AI-infrastructure stack and triage companies."""

    # The app's reactives repaint nothing themselves: a change to one (several per save)
    # would otherwise repaint the whole screen, where the header that shows them redraws
    # its one line.
    title: Reactive[str] = Reactive("", compute=False, repaint=False)
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)
    save_state: reactive[str] = reactive("saved", init=False, repaint=False)
    """"saved", "saving", "failed" or "read-only", shown in the header."""

    TITLE = "moatscope"
    SAVE_LABELS: ClassVar[dict[str, str]] = {
        "saved": "saved",
        "saving": "saving…",
        "failed": "NOT SAVED",
        "read-only": "read-only",
    }
    BINDING_GROUP_TITLE = "Everywhere"
    CSS_PATH = str(assets.path("app.tcss"))
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP_COMMANDS)
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {CompanySearch}
    """Textual's palette providers (the screen's commands), and every company by name."""

    def __init__(
        self, workbench: Workbench, settings: Settings | None = None, warnings: tuple[str, ...] = ()
    ) -> None:
        super().__init__()
        textual_patches.apply()  # before the first frame, so every frame is drawn the same way
        self.workbench = workbench
        loaded, settings_warning = (settings, "") if settings else load_settings()
        self.settings = loaded
        self.warnings = [w for w in (settings_warning, *warnings) if w]
        """Sentences to show once the app is up (a broken config or checklist file)."""
        if self.settings.author:
            workbench.author = self.settings.author
        self._writer: BackgroundWriter | None = None
        self._collector = IdleCollector(tidy=self._tidy, settled=self._settled)
        self._key_order = KeyOrder(self, self._forward_key, self._key_drawn)
        self._printable = Printable()
        self.earlier_undo_allowed = False
        """The user said yes once to undoing a change made before this session."""

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then ``Printable``: no line reaches the terminal with a
        control character or a bidi override in its text."""
        return [*super().get_line_filters(), self._printable]

    def on_mount(self) -> None:
        self.take_exit_signals()
        self.session_start = clock.stamp()
        self.previous_session = swap_last_opened(str(self.workbench.database.path))
        self.note_last_sync()
        self.workbench.listeners.append(self._update_title)
        self._update_title()
        if not self.workbench.read_only:
            self._writer = BackgroundWriter(self.workbench.database, self._writer_outcome)
            self.workbench.commit = self._commit
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.set_keymap(self.settings.keymap)
        if self.workbench.read_only:
            self.save_state = "read-only"
        self.watch_save_state(self.save_state)
        self.push_screen(MainScreen(self.workbench))
        for warning in self.warnings:
            self.notify(warning, severity="warning", markup=False, timeout=15)

    def on_ready(self) -> None:
        self._collector.start()
        self.set_interval(IDLE_TICK, self._collector.tick)
        if not self.is_headless and sys.stdin.isatty():
            self.watch_for_hang_up()
        if self.workbench.database.preparing is not None and not self.workbench.read_only:
            self.run_worker(self._await_preparation, thread=True, name="files-ready")

    def _await_preparation(self) -> None:
        """On a worker thread: wait for the files' preparation (the backup); if it failed,
        nothing was written, and the session goes read-only, saying why."""
        preparing = self.workbench.database.preparing
        failure = preparing.failure() if preparing is not None else None
        if failure is not None:
            try:
                self.call_from_thread(self._preparation_failed, str(failure))
            except RuntimeError:  # (the app closed meanwhile: closing saves nothing)
                pass

    def _preparation_failed(self, sentence: str) -> None:
        self.workbench.database.refuse_writes(sentence.rstrip("."))
        self.save_state = "read-only"
        self.notify(
            f"{sentence} This session is read-only.",
            title="Read-only",
            severity="error",
            timeout=30,
            markup=False,
        )

    def _top(self) -> Screen | None:
        """The screen on top, or None while the app starts or closes.

        Not ``self.screen``: it raises once the app has closed its screens, and timers
        (the idle collector's) and binding checks can still run then.
        """
        stack = self.screen_stack
        return stack[-1] if stack else None

    def _settled(self) -> bool:
        """A screen is open and it is not a dialog."""
        top = self._top()
        return top is not None and not isinstance(top, ModalScreen)

    def _tidy(self) -> None:
        """Before an idle full pass: drop what Textual keeps of closed widgets."""
        textual_patches.release_render_caches()
        screens = self.screen_stack
        textual_patches.prune_watchers(
            [self, *screens, *(node for screen in screens for node in screen.walk_children())]
        )

    def prepare_dialog(self, kind: type[KeptDialog], *args: Any) -> None:
        """Build the dialog of ``kind`` ahead, set up for ``args``, if it was never opened.

        The first opening of a kept dialog composes it, mounts its widgets and reads the
        stylesheet of widget kinds not yet on screen, which costs more than opening it
        again. Done while the user reads (pushed and popped within one batch, so never
        drawn), the first opening costs what every later one does.
        """
        name = kept_name(kind)
        if self.is_screen_installed(name) or not self._settled():
            return
        self.install_screen(kind(*args), name)
        with self.batch_update():
            self.push_screen(name)
            self.pop_screen()

    def open_dialog(self, kind: type[KeptDialog], *args: Any) -> None:
        """Open the dialog of ``kind`` kept from before, set up for ``args``, or a new one
        (kept for next time) if this kind was never opened."""
        name = kept_name(kind)
        if self.is_screen_installed(name):
            dialog = self.get_screen(name)
            assert isinstance(dialog, KeptDialog)
            if dialog.is_mounted:
                dialog.reopen(*args)
            else:  # prepared a moment ago, still being built: filled in once it is
                dialog.setup(*args)
                dialog.call_later(dialog.reopen, *args)
        else:
            dialog = kind(*args)
            self.install_screen(dialog, name)
        self.push_screen(dialog)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._collector.input()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._key_order.key(event)
            return
        await super().on_event(event)

    def _key_drawn(self) -> None:
        """A key has been handled and the frame showing it drawn: the time between keys
        begins, and the collector empties its young generations."""
        self._collector.after_frame()

    async def _forward_key(self, event: events.Key) -> None:
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        self._key_order.handled(event)

    def _update_title(self) -> None:
        # (open conflicts are inbox items too: ``screens/inbox_conflicts.py``)
        count = self.workbench.inbox_count() + len(self.workbench.conflicts())
        self.title = f"moatscope · Inbox {count}"

    def action_quit(self) -> None:
        """Quit, unless the screen on top holds unsaved work: it asks first (its
        ``before_quit`` returns True) and quits later if the user says so."""
        before_quit = getattr(self._top(), "before_quit", None)
        if before_quit is not None and before_quit(self.quit_with_summary):
            return
        self.quit_with_summary()

    def quit_with_summary(self) -> None:
        """Quit, after the session summary when this session decided anything."""
        from tui.screens.summary import SessionSummary

        activity = self.workbench.activity(getattr(self, "session_start", clock.stamp()))
        if activity.empty or isinstance(self.screen, SessionSummary):
            self.exit()
            return
        self.push_screen(SessionSummary(activity), lambda leave: leave and self.exit())

    def on_unmount(self) -> None:
        if hasattr(self, "previous_session"):  # (the session began: it ends now)
            record_closed(str(self.workbench.database.path))
        self.release_exit_signals()
        self.stop_watching()
        self._collector.stop()
        if self._writer is not None:
            self._writer.stop()
            self.workbench.commit = self.workbench.database.flush

    def watch_save_state(self, state: str) -> None:
        label = f"{self.SAVE_LABELS[state]}{self.synced}"
        self.sub_title = f"{self.workbench.database.path} · {label}"

    def _commit(self) -> None:
        assert self._writer is not None
        self.save_state = "saving"
        self._writer.commit()

    def _writer_outcome(self, generation: int, error: MoatscopeError | None) -> None:
        self.post_message(SaveOutcome(generation, error))

    def on_save_outcome(self, message: SaveOutcome) -> None:
        if message.error is not None:
            self.save_state = "failed"
            self.notify(
                str(message.error), title="Not saved", severity="error", timeout=15, markup=False
            )
        elif not self.workbench.database.storage.dirty:
            self.save_state = "saved"

    def wait_for_saves(self, timeout: float = 10) -> bool:
        """Block until queued saves are on disk (for tests and quitting)."""
        return self._writer.wait(timeout) if self._writer else True

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.settings.theme:
            self.settings = self.settings.model_copy(update={"theme": theme})
            try:
                save_settings(self.settings)
            except OSError as error:
                self.notify(f"Could not save the theme: {error}", severity="warning", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        top = self._top()
        if action == "quit" and isinstance(top, ModalScreen) and not getattr(top, "QUITS", False):
            return False
        return True

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        title = getattr(self.screen, "BINDING_GROUP_TITLE", None) or "moatscope"
        self.push_screen(HelpScreen(title, self.screen.active_bindings))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The screen's actions (its ``COMMAND_TABLE``), the app's, then Textual's; each
        names the key that runs it now, after the user's keymap."""
        yield from palette_commands(screen, getattr(screen, "COMMAND_TABLE", ()))
        yield from palette_commands(screen, APP_COMMANDS, owner=self)
        yield from super().get_system_commands(screen)
