"""The work panels wired to each other and to the desk.

A ticket is usually born on a call: the customer on screen (the 360) is who a new ticket is for,
a ticket saved during the call is linked to it, a ticket's "Dispatch engineer…" opens the
dispatch form, a handover on a live call consults the expert and transfers. Kept apart from
MainWindow so the window stays a shell of docks, menus and the status bar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from agent_desktop.services.agent_state import AgentStateService, AgentStatus
from agent_desktop.services.kb import AnsweredNotice, KbService
from agent_desktop.services.screen_pop import ScreenPop
from agent_desktop.services.work import WorkService
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from agent_desktop.ui.panels.callbacks_panel import CallbacksPanel
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from agent_desktop.ui.panels.dispatch_panel import DispatchPanel
from agent_desktop.ui.panels.kb_panel import KbPanel
from agent_desktop.ui.panels.panels import WorkArea
from agent_desktop.ui.panels.tickets_panel import TicketsPanel
from softphone import CallState, Phone, PhoneError
from sync.contract.records import AgentState

TICKETS_TAB, DISPATCH_TAB, CALLBACKS_TAB, KNOWLEDGE_TAB = range(4)


class WorkDesk(QObject):
    def __init__(
        self,
        work: WorkService,
        area: WorkArea,
        customer_panel: CustomerPanel,
        agent: AgentStateService,
        phone: Phone,
        say: Callable[[str], None],
        dial: Callable[[str], None],
        language: str,
        parent: QObject | None = None,
        kb: KbService | None = None,
    ) -> None:
        super().__init__(parent)
        self.work = work
        self.kb = kb
        self._area = area
        self._agent = agent
        self._phone = phone
        self._say = say
        self._dial = dial  # click-to-dial: the main window's, through the site's dial plan
        self._call_id: int | None = None  # the call the 360 is about
        self.tickets = TicketsPanel(work, language)
        area.install(TICKETS_TAB, self.tickets)
        self.tickets.form_opened.connect(self._wire_form)
        self.dispatch = DispatchPanel(work)
        area.install(DISPATCH_TAB, self.dispatch)
        self.dispatch.dial_requested.connect(dial)
        self.dispatch.open_ticket_requested.connect(self._open_ticket)
        self.callbacks = CallbacksPanel(work, language=language)
        area.install(CALLBACKS_TAB, self.callbacks)
        self.callbacks.dial_requested.connect(dial)
        self.callbacks.open_ticket_requested.connect(self._open_ticket)
        self.knowledge: KbPanel | None = None
        self._form: TicketForm | None = None  # the ticket form an article links to
        if kb is not None:
            self.knowledge = KbPanel(kb)
            area.install(KNOWLEDGE_TAB, self.knowledge)
            self.knowledge.link_requested.connect(self._link_article)
            self.knowledge.dial_requested.connect(dial)
            kb.answered.connect(self._question_answered)
        customer_panel.open_record_requested.connect(self._open_record)
        customer_panel.new_ticket_requested.connect(self._new_ticket)
        agent.changed.connect(self._agent_changed)

    def start(self) -> None:
        """Signed in: the lists read the cache (and follow it)."""
        self.tickets.start()
        self.work.load_dispatches()
        self.work.load_tasks()
        if self.kb is not None and self.knowledge is not None:
            self.kb.start()
            self.knowledge.start()

    def stop(self) -> None:
        """Signed out: nothing of the last user's work stays on screen."""
        for form in list(self.tickets.forms.values()):
            form.close()
        self.tickets.show_tickets([])
        self.tickets.set_customer(None)
        if self.kb is not None and self.knowledge is not None:
            self.knowledge.stop()
            self.kb.stop()

    # -- the customer on screen ---------------------------------------------------------------

    def show_pop(self, pop: ScreenPop) -> None:
        if pop.view is None:
            return
        customer_id = pop.view.customer.id
        contact = pop.view.contact
        contact_id = contact.id if contact and contact.id else None
        on_call = pop.call is not None and pop.call.state != CallState.ENDED
        self._call_id = pop.call.call_id if on_call and pop.call is not None else None
        self.tickets.set_customer(customer_id, contact_id, on_call)
        if on_call and self.knowledge is not None:
            self._push_knowledge(pop)

    def _push_knowledge(self, pop: ScreenPop) -> None:
        """A call about a product: the Knowledge tab suggests its articles unasked, for the
        open ticket's summary when there is one."""
        view = pop.view
        if view is None or self.knowledge is None:
            return
        lines = {a.id: a.product_line for a in view.assets}
        ticket = next((t for t in view.tickets if t.status != "closed"), None)
        summary = ticket.summary if ticket else ""
        product = lines.get(ticket.asset_id or 0, "") if ticket else ""
        if not product and lines:
            product = next(iter(lines.values()))
        if summary or product:
            self.knowledge.suggest_for(summary, product)

    def _agent_changed(self, status: AgentStatus) -> None:
        # A ticket saved in the wrap-up still belongs to the call; after it, to no call.
        # (While a call rings the state is still Ready: busy says a call is there.)
        if status.state not in (AgentState.ON_CALL, AgentState.WRAP_UP) and not self._agent.busy:
            self._call_id = None
            self.tickets.set_on_call(False)

    def _new_ticket(self, customer_id: int, contact_id: int) -> None:
        self._area.setCurrentIndex(TICKETS_TAB)
        self.tickets.new_ticket(customer_id, contact_id or None, on_call=self._call_id is not None)

    def _open_record(self, entity: str, record_id: int) -> None:
        if entity == "ticket":
            self._open_ticket(record_id)
        elif entity == "dispatch":
            self._area.setCurrentIndex(DISPATCH_TAB)
            self.dispatch.select_dispatch(record_id)
        elif entity == "task":
            self._area.setCurrentIndex(CALLBACKS_TAB)
            self.callbacks.select_task(record_id)

    def _open_ticket(self, ticket_id: int) -> None:
        self._area.setCurrentIndex(TICKETS_TAB)
        self.tickets.open_ticket(ticket_id)

    # -- forms --------------------------------------------------------------------------------

    def _wire_form(self, form: TicketForm) -> None:
        call_id = self._call_id
        if call_id is not None:
            # Saved on the call: the call's interaction record lists the ticket.
            form.saved.connect(lambda ticket_id: self._agent.link_ticket(call_id, ticket_id))
        form.transfer_requested.connect(self._consult)
        form.dial_requested.connect(self._dial)
        form.dispatch_requested.connect(self._dispatch)
        if self.kb is not None and self.knowledge is not None:
            form.attach_kb(self.kb)
            self._form = form
            self.knowledge.set_ticket(self._ticket_of(form), form.product_line())
            form.finished.connect(lambda _r, f=form: self._form_closed(f))

    @staticmethod
    def _ticket_of(form: TicketForm) -> tuple[int, str] | None:
        if form.ticket_id is None:
            return None  # not saved yet: articles still link to it, questions name no ticket
        return form.ticket_id, form.number or f"#{form.ticket_id}"

    def _form_closed(self, form: TicketForm) -> None:
        if self._form is form:
            self._form = None
            if self.knowledge is not None:
                self.knowledge.set_ticket(None)

    def _link_article(self, article_id: int, title: str) -> None:
        if self._form is not None:
            self._form.link_article(article_id, title)
            self._say(self.tr("Article linked to the ticket: %1").replace("%1", title))

    def _question_answered(self, notice: AnsweredNotice) -> None:
        if notice.article_id is not None:
            text = self.tr(
                "The experts answered your question “%1”; the answer is now an article in the "
                "knowledge base."
            )
        else:
            text = self.tr("The experts answered your question “%1”.")
        self._say(text.replace("%1", notice.text))

    def _dispatch(self, ticket_id: int) -> None:
        self._area.setCurrentIndex(DISPATCH_TAB)
        self.dispatch.new_dispatch(ticket_id)

    def _consult(self, extension: str) -> None:
        """Hold the caller and ring the expert; "Complete transfer" on the phone hands over."""
        active = self._phone.active_call()
        try:
            if active is not None:
                self._phone.hold(active.call_id)
            self._phone.dial(extension)
        except PhoneError as exc:
            self._say(str(exc))
            return
        self._say(
            self.tr(
                "Consulting the expert at %1: the caller is on hold. Press Complete transfer "
                "on the phone to hand them over."
            ).replace("%1", extension)
        )
