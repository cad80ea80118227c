import SwiftProtobuf
import Crypto
