import Logging
import Histogram
