"""The start of the worker processes of `report build -j`: imported once by the fork server, whose
forks then start with reportlab and pydantic already imported (paid once, not once per worker).
The fork server imports matplotlib and the chart kinds too (report.charts.warm), but only when
charts will be drawn: with the chart cache, the workers of a rebuild never need them.

Importing this module isolates the process from settings files and variables (as report.cli.main
does) before it imports reportlab, and makes it ignore Ctrl-C: that is why it is a module of its own.
"""

import signal

from report.safety import isolate

isolate()
# Workers never see Ctrl-C, which a terminal sends to every process of the command: the main process
# stops the pool, and a build under way finishes its atomic write. The fork server gives its forks
# the handlers it had after this import, so they ignore it from their first instruction.
signal.signal(signal.SIGINT, signal.SIG_IGN)

import report.brand.styles  # noqa: E402,F401 - the point: imported once, shared by every worker
import report.build  # noqa: E402,F401
