// Keeps the target buildable until its tests land on main; delete when they do.
import Testing
