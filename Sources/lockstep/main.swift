import Foundation
import LockstepCommands

exit(await Lockstep.execute())
