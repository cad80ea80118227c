import Foundation

/// The store's writer: one dedicated thread that commits everything queued since its last commit
/// in one transaction (group commit), so thousands of records share one fsync.
///
/// Threading: `submit`, `deliverCompletions` and `close` are called from one owner thread (the
/// libuv loop). The writer never calls back directly: after each commit it calls `notify` (on the
/// writer thread), and the owner calls `deliverCompletions()` on its own thread. The libuv shell
/// wires `notify` to an async handle's `wake()`; a benchmark or CLI can wire it to a semaphore.
public final class StoreWriter: @unchecked Sendable {
    public typealias Completion = (Result<Void, StoreFailure>) -> Void

    private struct Job {
        var records: [StoreRecord]
        var completion: Completion?
        /// A read to run on the writer thread, after the commits queued before it.
        var read: ((Database) -> Void)?
    }

    private let database: Database
    private let notify: @Sendable () -> Void
    /// Upper bound on records per transaction; 1 turns group commit off (for the benchmark).
    private let maxBatch: Int
    private let lock = NSCondition()
    // Guarded by `lock`.
    private var queued: [Job] = []
    private var finished: [(Completion, Result<Void, StoreFailure>)] = []
    private var stopping = false
    private var writerDone = false
    private var inFlight = 0
    // Owner thread only: submissions held back by `atomically` until its outermost body returns.
    private var groupDepth = 0
    private var groupRecords: [StoreRecord] = []
    private var groupCompletions: [Completion] = []
    private var groupReads: [Job] = []

    /// Open (and migrate) the database at `path` and start the writer thread.
    public init(path: String, maxBatch: Int = 8192, notify: @escaping @Sendable () -> Void) throws(StoreFailure) {
        database = try Database(path: path)
        try Migrator.migrate(database)
        self.notify = notify
        self.maxBatch = max(1, maxBatch)
        let thread = Thread { [self] in writerLoop() }
        thread.name = "tender-store-writer"
        thread.start()
    }

    /// Queue records to commit together; `completion` runs on the owner thread (from
    /// `deliverCompletions`) once they are durable, or failed.
    public func submit(_ records: [StoreRecord], completion: Completion? = nil) {
        if groupDepth > 0 {
            groupRecords += records
            if let completion { groupCompletions.append(completion) }
            return
        }
        enqueue([Job(records: records, completion: completion)])
    }

    /// Owner thread: everything `body` submits (directly or through callbacks it runs) is
    /// committed in one transaction, after whatever was submitted before, all or nothing; each
    /// submission's completion gets that transaction's result. Reads queued inside run after it.
    /// Nested calls join the outermost one. What makes an execution's outcome and its incident's
    /// conclusion one fact: a crash can land before both or after both, never between them.
    public func atomically<T>(_ body: () throws -> T) rethrows -> T {
        groupDepth += 1
        defer {
            groupDepth -= 1
            if groupDepth == 0 { flushGroup() }
        }
        return try body()
    }

    private func flushGroup() {
        var jobs: [Job] = []
        if !groupRecords.isEmpty || !groupCompletions.isEmpty {
            let completions = groupCompletions
            jobs.append(Job(records: groupRecords, completion: completions.isEmpty ? nil : { result in
                for completion in completions { completion(result) }
            }))
        }
        jobs += groupReads
        groupRecords = []
        groupCompletions = []
        groupReads = []
        enqueue(jobs)
    }

    private func enqueue(_ jobs: [Job]) {
        guard !jobs.isEmpty else { return }
        lock.lock()
        queued += jobs
        inFlight += jobs.count
        lock.broadcast()
        lock.unlock()
    }

    public func submit(_ record: StoreRecord, completion: Completion? = nil) {
        submit([record], completion: completion)
    }

    /// Run a query on the writer's connection, off the owner thread, after everything submitted
    /// before it; `completion` gets the value on the owner thread (from `deliverCompletions`).
    public func read<T>(_ query: @escaping (Database) throws(StoreFailure) -> T, completion: @escaping (Result<T, StoreFailure>) -> Void) {
        var value: Result<T, StoreFailure>?
        let job = Job(records: [], completion: { _ in completion(value!) }, read: { database in
            do throws(StoreFailure) { value = .success(try query(database)) } catch { value = .failure(error) }
        })
        if groupDepth > 0 {
            groupReads.append(job)
            return
        }
        enqueue([job])
    }

    /// Block until everything submitted so far is durable, then deliver its completions. For
    /// tests, benchmarks and shutdown; the loop itself never waits.
    public func drain() {
        lock.lock()
        while inFlight > 0 { lock.wait() }
        lock.unlock()
        deliverCompletions()
    }

    /// Submissions not yet durable.
    public var pendingWrites: Int {
        lock.lock()
        defer { lock.unlock() }
        return inFlight
    }

    /// Owner thread: run the completions of every commit finished so far.
    public func deliverCompletions() {
        lock.lock()
        let batch = finished
        finished.removeAll(keepingCapacity: true)
        lock.unlock()
        for (completion, result) in batch { completion(result) }
    }

    /// Commit everything queued, stop the thread and deliver the last completions. Blocks.
    public func close() {
        // Closed from inside `atomically` (a shutdown that settles as an outcome's callback
        // concludes the last incident): what the group holds is committed, not dropped.
        if groupDepth > 0 { flushGroup() }
        lock.lock()
        stopping = true
        lock.broadcast()
        while !writerDone { lock.wait() }
        lock.unlock()
        deliverCompletions()
    }

    private func writerLoop() {
        while true {
            lock.lock()
            while queued.isEmpty && !stopping { lock.wait() }
            if queued.isEmpty && stopping {
                writerDone = true
                lock.broadcast()
                lock.unlock()
                return
            }
            var batch: [Job] = []
            var records = 0
            var taken = 0
            for job in queued {
                if job.read != nil && taken > 0 { break }
                if records > 0 && records + job.records.count > maxBatch { break }
                batch.append(job)
                records += job.records.count
                taken += 1
                if job.read != nil { break }
            }
            queued.removeFirst(taken)
            lock.unlock()

            let results: [Result<Void, StoreFailure>]
            if batch.count == 1, let read = batch[0].read {
                read(database)
                results = [.success(())]
            } else {
                results = commit(batch)
            }
            lock.lock()
            inFlight -= batch.count
            lock.broadcast()
            for (job, result) in zip(batch, results) {
                if let completion = job.completion { finished.append((completion, result)) }
            }
            lock.unlock()
            notify()
        }
    }

    /// One transaction for the whole batch; if it fails, each job alone, so one bad record
    /// fails only its own submission.
    private func commit(_ batch: [Job]) -> [Result<Void, StoreFailure>] {
        do throws(StoreFailure) {
            try database.transaction { () throws(StoreFailure) in
                for job in batch {
                    for record in job.records { try record.write(to: database) }
                }
            }
            return Array(repeating: .success(()), count: batch.count)
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
            return batch.map { job in
                do throws(StoreFailure) {
                    try database.transaction { () throws(StoreFailure) in
                        for record in job.records { try record.write(to: database) }
                    }
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
        }
    }
}
