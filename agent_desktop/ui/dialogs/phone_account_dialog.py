"""The phone account's addresses, each on its own as an IP phone has them: the SIP domain (with
its port), the registrar, an outbound proxy, the transport, and how much of the SIP trace goes
to the log. Checked as the configuration file is; saved for the next start."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.config import SIP_LOG_LEVELS, check_value
from agent_desktop.services.account_settings import PhoneAccount
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.locked import locked_note, show_locked
from agent_desktop.ui.palette import ColourRole

TRANSPORTS = ("udp", "tcp", "tls")


class PhoneAccountDialog(QDialog):
    def __init__(
        self,
        account: PhoneAccount,
        parent: QWidget | None = None,
        locked: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("phoneAccountDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Phone account"))
        self.domain = self._line("domainEdit", account.domain, "cc.example.com:5070")
        self.registrar = self._line("registrarEdit", account.registrar, "sip:pbx.example.com:5080")
        self.proxy = self._line(
            "outboundProxyEdit", account.outbound_proxy, "sip:sbc.example.com:5090"
        )
        self.transport = QComboBox()
        self.transport.setObjectName("transportCombo")
        for value, text in zip(TRANSPORTS, ("UDP", "TCP", "TLS"), strict=True):
            self.transport.addItem(text, value)
        self.transport.setCurrentIndex(max(0, self.transport.findData(account.transport)))
        self.trace = QComboBox()
        self.trace.setObjectName("sipLogCombo")
        for value in SIP_LOG_LEVELS:
            self.trace.addItem("", value)
        self._texts.items(
            self.trace,
            [lambda: self.tr("Off"), lambda: self.tr("At debug level"), lambda: self.tr("Always")],
        )
        self.trace.setCurrentIndex(max(0, self.trace.findData(account.sip_log_level)))
        # Settings fields the machine policy locks (Settings.locked): shown, not changeable.
        for name, widget in (("sip_registrar", self.registrar), ("sip_transport", self.transport)):
            if name in locked:
                show_locked(widget)
                self._texts.bind(widget.setToolTip, locked_note)
        self.locked_note = self._texts.label(locked_note)
        self.locked_note.setObjectName("accountLockedNote")
        self.locked_note.setWordWrap(True)
        self.locked_note.setVisible(bool(locked & {"sip_registrar", "sip_transport"}))
        form = QFormLayout()
        self._texts.row(form, lambda: self.tr("SIP &domain (with its port):"), self.domain)
        self._texts.row(form, lambda: self.tr("&Registrar:"), self.registrar)
        self._texts.row(form, lambda: self.tr("&Outbound proxy:"), self.proxy)
        self._texts.row(form, lambda: self.tr("&Transport:"), self.transport)
        self._texts.row(form, lambda: self.tr("SIP trace in the &log:"), self.trace)
        self.hint = self._texts.label(
            lambda: self.tr(
                "A sips: registrar or proxy uses TLS. The phone uses these settings the next "
                "time the app starts."
            )
        )
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("accountError")
        set_tone(self.error, ColourRole.ERROR)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.locked_note)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def _line(self, name: str, value: str, example: str) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setObjectName(name)
        edit.setPlaceholderText(example)
        # Room for a whole address with its port (the example, and then some): IT types
        # hosts like "sip:pbx-01.callcentre.example.com:5080" and must see them whole.
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(example) * 3 // 2 + 16)
        return edit

    def changes(self) -> PhoneAccount:
        """The account as entered."""
        return PhoneAccount(
            domain=self.domain.text().strip(),
            registrar=self.registrar.text().strip(),
            outbound_proxy=self.proxy.text().strip(),
            transport=str(self.transport.currentData()),
            sip_log_level=str(self.trace.currentData()),
        )

    def problem(self) -> str:
        """What is wrong with the entries, in words (empty when they can be saved)."""
        values = self.changes().keys()
        if not values["phone.domain"]:
            return self.tr("Enter the SIP domain.")
        for key, label in (
            ("phone.registrar", self.tr("The registrar")),
            ("phone.outbound_proxy", self.tr("The outbound proxy")),
        ):
            if check_value(key, values[key]) is not None:
                return self.tr("%1 must be empty or start with sip: or sips:.").replace("%1", label)
        return ""

    def accept(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        if not problem:
            super().accept()
