import Glibc

/// Adds "close every file from `lowest` up" to a spawn's file actions, so a program a test starts keeps none
/// of the test process's open files. With many tests running beside each other that process can hold hundreds
/// of them; a PostgreSQL server that inherits them refuses to start ("insufficient file descriptors"), and a
/// tmux server would keep them open after the test.
///
/// glibc has had `posix_spawn_file_actions_addclosefrom_np` since 2.34, but Swift's Glibc module does not
/// import it, so it is looked up by name. Returns false where the C library lacks it (the spawn still works).
@discardableResult
public func closeInheritedFiles(_ actions: inout posix_spawn_file_actions_t, from lowest: Int32 = 3) -> Bool {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return false }
    let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
    return addCloseFrom(&actions, lowest) == 0
}
