"""The catalogue's declarations, one module per area; importing this registers them all.

In the order of a child's journey, which is the catalogue's order (and the table's).
"""

# isort: off
from goldenthread.analytics.indicators import frontdoor  # noqa: F401
from goldenthread.analytics.indicators import child_protection  # noqa: F401
from goldenthread.analytics.indicators import children_in_need  # noqa: F401
from goldenthread.analytics.indicators import looked_after  # noqa: F401
from goldenthread.analytics.indicators import missing  # noqa: F401
from goldenthread.analytics.indicators import health  # noqa: F401
from goldenthread.analytics.indicators import adoption  # noqa: F401
from goldenthread.analytics.indicators import care_leavers  # noqa: F401
from goldenthread.analytics.indicators import workforce  # noqa: F401
# isort: on
