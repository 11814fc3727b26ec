// The mobile scenario on the JVM, against the Linux build of crm-mobile: a store in a temp
// directory, a lead captured, edited and qualified, the typed exceptions, scoring with the
// shared model file compared with the shared vectors, two threads on one store, and every
// object closed (`use { }`). Run by scripts/test-mobile.sh; prints "N passed, N failed".
import java.io.File
import java.math.BigDecimal
import java.time.LocalDate
import java.time.ZoneId
import java.nio.file.Files
import java.time.Instant
import kotlin.concurrent.thread
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.crmcore.CrmJob
import org.crmcore.LeadsImportCsvArgs
import org.crmcore.parityLeadsImportCsvArgs
import org.crmcore.model.BusinessCalendar
import org.crmcore.model.CaseCategory
import org.crmcore.model.CaseChannel
import org.crmcore.model.CasePriority
import org.crmcore.model.ConvertOptions
import org.crmcore.model.CustomFieldSpec
import org.crmcore.model.DuplicateRules
import org.crmcore.model.ExportFormat
import org.crmcore.model.ExportOptions
import org.crmcore.model.ImportRecordsOptions
import org.crmcore.model.NameRule
import org.crmcore.model.Resolution
import org.crmcore.model.ReviewStatus
import org.crmcore.model.FieldType
import org.crmcore.model.NewCustomField
import org.crmcore.model.SearchQuery
import org.crmcore.model.Person
import org.crmcore.model.LeadInput
import org.crmcore.model.Link
import org.crmcore.model.MetricRule
import org.crmcore.model.Money
import org.crmcore.model.NewCase
import org.crmcore.model.OpportunityDraft
import org.crmcore.model.SlaFilter
import org.crmcore.model.SlaMetric
import org.crmcore.model.SlaPolicy
import org.crmcore.model.SlaTarget
import org.crmcore.model.Discount
import org.crmcore.model.PriceLine
import org.crmcore.model.Rounding
import org.crmcore.model.RoundingMode
import org.crmcore.model.RoundingStrategy
import org.crmcore.model.TaxRate
import org.crmcore.model.WorkingInterval
import org.crmcore.addBusinessMinutes
import org.crmcore.businessMinutesBetween
import org.crmcore.priceDocument
import org.crmcore.model.LeadSource
import org.crmcore.model.GranteeRef
import org.crmcore.model.Level
import org.crmcore.model.ObjectPermission
import org.crmcore.model.PermissionSetSpec
import org.crmcore.model.RoleSpec
import org.crmcore.model.ShareAccess
import org.crmcore.model.UserSpec
import org.crmcore.model.LeadStatus
import org.crmcore.model.MatchReason
import org.crmcore.model.Rating
import org.crmcore.model.RecordRef
import org.crmcore.model.CrmException
import org.crmcore.model.errorCodes
import org.crmcore.model.sampleError
import org.crmcore.CrmStore
import org.crmcore.ScoringModel
import org.crmcore.model.Address
import org.crmcore.model.Demographics
import org.crmcore.model.NewAccount
import org.crmcore.model.NewContact
import org.crmcore.model.OnDependants

val NOW: Instant = Instant.parse("2026-03-02T09:00:00Z")
val vectors: File = File(System.getProperty("crm.vectors") ?: error("-Dcrm.vectors=DIR is required"))

fun numbers(name: String): List<Double> =
    File(vectors, name).readLines().filter { it.isNotBlank() }.map { it.trim().toDouble() }

fun leadsAreCapturedEditedAndKept() {
    val dir = Files.createTempDirectory("crm-mobile").toFile()
    val path = File(dir, "crm.db").path
    CrmStore.open(path, "DE").use { store ->
        val captured = store.leads().capture(
            LeadInput(mapOf("first_name" to "Ada", "last_name" to "Lovelace", "email" to "ada@example.com", "phone" to "030 1234567")),
            NOW,
        )
        val lead = captured.lead
        assertEquals(1L, lead.id)
        assertEquals("+49301234567", lead.data.phone)
        assertEquals(NOW, lead.createdAt)
        assertEquals(LeadSource.Manual, lead.source)
        assertEquals(LeadStatus.New, lead.status)

        val again = store.leads().capture(LeadInput(mapOf("last_name" to "Lovelace", "email" to "ADA@example.com")), NOW)
        assertEquals(RecordRef.Lead(lead.id), again.duplicates.single().record)
        assertEquals(MatchReason.SameEmail, again.duplicates.single().reason)

        val version: Long = lead.version // ids and versions are Long, as Room and a Bundle hold them
        assertEquals(1L, version)
        // a patch names only what changes (JSON text; null clears a field)
        val edited = store.leads().update(lead.id, lead.version, """{"job_title": "Countess"}""", NOW)
        assertEquals("Countess", edited.data.jobTitle)
        assertEquals(lead.data.lastName, edited.data.lastName)
        val stale = assertFailsWith<CrmException.Conflict> {
            store.leads().update(lead.id, lead.version, """{"job_title": "Engineer"}""", NOW)
        }
        assertEquals("conflict", stale.code)
        assertTrue(stale.reason.contains("expected version ${lead.version}"), stale.reason)
        assertEquals(lead.version, stale.expected)
        assertEquals(edited.version, stale.actual)

        assertEquals(LeadStatus.Qualified, store.leads().qualify(lead.id, NOW).status)
        val disqualified = store.leads().disqualify(again.lead.id, "duplicate", null)
        assertEquals(LeadStatus.Disqualified("duplicate"), disqualified.status)
    }
    // the file keeps everything for the next launch
    CrmStore.open(path, "DE").use { store ->
        assertEquals(2, store.leads().list().size)
        assertEquals("Countess", store.leads().get(1L).data.jobTitle)
    }
}

fun aLeadIsConvertedAndACaseGetsItsSlaDueInstant() {
    CrmStore.inMemory("DE").use { store ->
        val lead = store.leads().capture(
            LeadInput(mapOf("last_name" to "Lovelace", "company" to "Analytical Engines", "email" to "ada@example.com")),
            NOW,
        ).lead
        store.leads().qualify(lead.id, NOW)
        val pipeline = store.sales().definePipeline("sales", null)
        val draft = OpportunityDraft(pipeline = pipeline.id, amount = Money(BigDecimal("12000.00"), "EUR"), expectedClose = LocalDate.parse("2026-06-30"))
        val conversion = store.leads().convert(lead.id, ConvertOptions(Link.Auto, Link.Auto, draft), NOW)
        assertEquals("Analytical Engines", conversion.account.name)
        assertEquals(Money(BigDecimal("12000.00"), "EUR"), conversion.opportunity!!.amount)
        assertEquals(LeadStatus.Converted, store.leads().get(lead.id).status)

        // Monday 16:00 in Berlin + 240 business minutes = Tuesday 12:00 local = 11:00Z
        val week = listOf("Mon", "Tue", "Wed", "Thu", "Fri").map { WorkingInterval(it, "09:00", "17:00") }
        store.service().defineCalendar("office", BusinessCalendar(ZoneId.of("Europe/Berlin"), week, listOf(), listOf()), NOW)
        val anyCase = SlaFilter() // every field has its default: any case
        val firstResponse = MetricRule(SlaMetric.FIRST_RESPONSE, null, listOf(SlaTarget(CasePriority.HIGH, 240u, "office")))
        store.service().defineSlaPolicy(SlaPolicy("standard", 0, anyCase, 80u, listOf(firstResponse)), NOW)
        val opened = Instant.parse("2026-03-02T15:00:00Z")
        val kase = store.service().openCase(
            NewCase(
                subject = "Engine jammed",
                channel = CaseChannel.PHONE,
                category = CaseCategory.INCIDENT,
                priority = CasePriority.HIGH,
                account = conversion.account.id,
            ),
            opened,
        )
        assertTrue(kase.number.startsWith("CASE-2026-"), kase.number)
        val due = store.service().caseSla(kase.id, opened).metrics.single().ongoing!!.dueAt
        assertEquals(Instant.parse("2026-03-03T11:00:00Z"), due)
        // the same due instant without a store, and back
        val office = BusinessCalendar(ZoneId.of("Europe/Berlin"), week, listOf(), listOf())
        assertEquals(due, addBusinessMinutes(office, opened, 240L))
        assertEquals(240L, businessMinutesBetween(office, opened, due!!))
        assertFailsWith<CrmException.Validation> { addBusinessMinutes(office.copy(intervals = listOf()), opened, 1L) }
        assertFailsWith<CrmException.InvalidValue> { addBusinessMinutes(office, opened, 1_000_000_000_000_000L) }
    }
}

fun quotesArePricedExactly() {
    val rounding = Rounding(RoundingMode.HALF_EVEN, RoundingStrategy.PER_LINE)
    val line = PriceLine(BigDecimal("3"), Money(BigDecimal("19.99"), "EUR"), Discount.None, listOf("VAT"))
    val priced = priceDocument(listOf(line), "EUR", rounding, null, listOf(TaxRate("VAT", "19", false, false)))
    assertEquals(Money(BigDecimal("71.36"), "EUR"), priced.grandTotal)
    val mixed = assertFailsWith<CrmException.Validation> {
        priceDocument(listOf(line.copy(unitPrice = Money(BigDecimal("5"), "USD"))), "EUR", rounding)
    }
    assertTrue(mixed.reason.contains("USD"), mixed.reason)
    val negative = assertFailsWith<CrmException.Validation> {
        priceDocument(listOf(line.copy(quantity = BigDecimal("-1"))), "EUR", rounding)
    }
    assertTrue(negative.problems.any { it.field == "lines[0].quantity" }, negative.problems.toString())
}

fun everyErrorKindIsItsOwnException() {
    val codes = errorCodes()
    assertEquals(18, codes.size)
    val classes = codes.map { code ->
        val e = sampleError(code)
        // every case carries `code`; read it the same way from each
        assertEquals(code, e.javaClass.getMethod("getCode").invoke(e))
        e::class
    }
    assertEquals(codes.size, classes.toSet().size)
    val storage = sampleError("storage") as CrmException.Storage
    assertTrue(storage.retryable)
    assertEquals("SQLITE_BUSY", storage.storeCode)
    val cancelled = sampleError("cancelled") as CrmException.Cancelled
    assertEquals(5000L, cancelled.done)
    assertEquals(20000L, cancelled.total)
    val forbidden = sampleError("forbidden") as CrmException.Forbidden
    assertEquals("edit", forbidden.operation)
    assertEquals(12L, forbidden.id)
    val inUse = sampleError("in_use") as CrmException.InUse
    assertEquals(listOf("contact:4", "opportunity:9"), inUse.dependants)
    assertEquals(3L, inUse.id)
    val conflict = sampleError("conflict") as CrmException.Conflict
    assertEquals(2L, conflict.expected)
    assertEquals(3L, conflict.actual)
}

fun badInputIsATypedException() {
    CrmStore.inMemory("US").use { store ->
        val invalid = assertFailsWith<CrmException.Validation> {
            store.leads().capture(LeadInput(mapOf("email" to "not-an-email")))
        }
        assertEquals("validation_failed", invalid.code)
        assertTrue(invalid.reason.contains("email"), invalid.reason)
        assertEquals("not_found", assertFailsWith<CrmException.NotFound> { store.leads().get(42L) }.code)
        assertTrue(assertFailsWith<CrmException.InvalidValue> { store.leads().get(0L) }.reason.contains("ids start at 1"))
        assertTrue(assertFailsWith<CrmException.InvalidValue> { store.leads().get(-5L) }.reason.contains("ids start at 1"))
        val lead = store.leads().capture(LeadInput(mapOf("last_name" to "Hopper", "email" to "grace@example.com"))).lead
        store.leads().qualify(lead.id)
        assertEquals("illegal_transition", assertFailsWith<CrmException.IllegalTransition> { store.leads().qualify(lead.id) }.code)
        assertFailsWith<CrmException.InvalidValue> { store.leads().capture(LeadInput(mapOf("shoe_size" to "9"))) }
    }
    assertEquals("invalid_value", assertFailsWith<CrmException.InvalidValue> { CrmStore.inMemory("XX") }.code)
}

fun scoringMatchesTheSharedVectors() {
    val (rows, cols) = numbers("shape.txt").map { it.toInt() }
    val x = numbers("x.txt")
    val expected = numbers("probabilities.txt")
    ScoringModel.load(File(vectors, "model.json").path).use { model ->
        assertEquals("logistic", model.kind())
        assertEquals(cols, model.columnNames().size)
        val p = model.score(x, cols.toUInt())
        assertEquals(rows, p.size)
        for (i in 0 until rows) {
            assertTrue(Math.abs(p[i] - expected[i]) <= 1e-12, "row $i: ${p[i]} vs ${expected[i]}")
            assertEquals(expected[i].toRawBits(), p[i].toRawBits(), "row $i is not bit for bit")
        }
        assertEquals(Rating.HOT, model.rate(0.95))
        assertEquals(Rating.COLD, model.rate(0.05))
        assertFailsWith<CrmException.InvalidValue> { model.score(x.dropLast(1), cols.toUInt()) }
    }
    assertEquals("unsupported_version", assertFailsWith<CrmException.UnsupportedVersion> { ScoringModel.fromJson("{\"format_version\": 99}") }.code)
}

fun twoThreadsShareOneStore() {
    CrmStore.inMemory("US").use { store ->
        val threads = (0 until 2).map { t ->
            thread {
                for (i in 0 until 50) {
                    store.leads().capture(LeadInput(mapOf("last_name" to "Worker$t", "email" to "w$t.$i@example.com")))
                }
            }
        }
        threads.forEach { it.join() }
        val leads = store.leads().list()
        assertEquals(100, leads.size)
        assertEquals(100, leads.map { it.id }.toSet().size)
    }
}

fun longCallsSuspendTheCoroutine() {
    CrmStore.inMemory("DE").use { store ->
        repeat(50) { i -> store.leads().capture(LeadInput(mapOf("last_name" to "L$i", "email" to "l$i@example.com")), NOW) }
        runBlocking {
            // the twin is a suspend fun: other coroutines of this thread run while it works
            // (work long enough that it cannot be done by the time it is first polled)
            val work = importArgs(5_000, 1_000)
            var ticks = 0
            val ticker = launch { while (true) { ticks++; yield() } }
            val report = store.leads().importCsvAsync(work.csv, work.mapping, work.options, NOW)
            ticker.cancel()
            assertEquals(5_000L, report.progress.imported)
            assertTrue(ticks > 0, "the caller's thread was blocked")
            assertEquals(store.service().checkSlas(NOW), store.service().checkSlasAsync(NOW))
            val missing = assertFailsWith<CrmException.NotFound> { store.marketing().evaluateSegmentAsync("nope", NOW) }
            assertEquals("not_found", missing.code)
        }
    }
}

// A CSV import's arguments as the parity helpers read them from JSON (rows of leads).
fun importArgs(rows: Int, batchSize: Int): LeadsImportCsvArgs {
    val csv = StringBuilder("First,Last,Email\\n")
    for (i in 0 until rows) csv.append("Lead$i,Person$i,lead$i@example${i % 97}.com\\n")
    return parityLeadsImportCsvArgs(
        """{"csv": "$csv", "mapping": {"columns": [["First", "first_name"], ["Last", "last_name"], ["Email", "email"]],
            "default_region": "DE"}, "options": {"batch_label": "jobs", "batch_size": $batchSize, "duplicates": "keep"}}"""
    )
}

fun jobsReportProgressAndCancelling() {
    CrmStore.inMemory("DE").use { store ->
        runBlocking {
            // a job's progress after the run; a job cancelled before it starts writes nothing
            val small = importArgs(1_200, 500)
            val job = CrmJob()
            val report = store.leads().importCsvAsync(small.csv, small.mapping, small.options, NOW, job)
            assertEquals(1_200L, report.progress.imported)
            assertEquals(1_000L, job.progress().done)
            val early = CrmJob()
            early.cancel()
            val stopped = assertFailsWith<CrmException.Cancelled> {
                store.leads().importCsvAsync(small.csv, small.mapping, small.options, NOW, early)
            }
            assertEquals(0L, stopped.done)
            assertEquals(1_200, store.leads().list().size)

            // cancelling the caller's coroutine cancels the work at its next batch
            val big = importArgs(40_000, 500)
            val watched = CrmJob()
            val running = async { store.leads().importCsvAsync(big.csv, big.mapping, big.options, NOW, watched) }
            while (watched.progress().done == 0L) delay(1)
            running.cancel()
            running.join()
            assertTrue(watched.isCancelled(), "dropping the future cancels the job")
            delay(200)
            val kept = store.leads().list().size
            delay(200)
            assertEquals(kept, store.leads().list().size, "the import stopped")
            assertTrue(kept < 1_200 + 40_000, "stopped before the end: $kept")
            assertEquals(0, (kept - 1_200) % 500, "at a batch boundary")
        }
    }
}

fun actorsHistoryArchiveAndDelete() {
    CrmStore.inMemory("DE").use { store ->
        val alice = store.asActor("user:alice")
        assertEquals("user:alice", alice.actor())
        assertEquals("system:host", store.actor())
        val lead = store.leads().capture(LeadInput(mapOf("last_name" to "Lovelace", "company" to "Engines",
            "email" to "ada@example.com"))).lead
        val edited = alice.leads().update(lead.id, lead.version, """{"job_title": "CTO", "company": null}""")
        assertEquals("CTO", edited.data.jobTitle)
        assertEquals(null, edited.data.company)
        assertEquals("Lovelace", edited.data.lastName)
        val history = store.records().history("lead:${lead.id}")
        assertEquals(listOf("LeadCaptured" to "system:host", "RecordEdited" to "user:alice"), history.map { it.event to it.actor })
        assertEquals(listOf("company", "job_title"), history[1].changes.map { it.field })
        assertFailsWith<CrmException.InvalidValue> { store.asActor("alice") }

        val version = store.records().archive("lead:${lead.id}", edited.version)
        assertEquals(edited.version + 1, version)
        assertTrue(store.leads().list().isEmpty())
        assertTrue(store.records().isArchived("lead:${lead.id}"))
        val account = store.customers().createAccount(NewAccount(name = "Engines", address = Address()))
        val contact = store.customers().createContact(NewContact(account = account.id, lastName = "Babbage", demographics = Demographics()))
        val inUse = assertFailsWith<CrmException.InUse> { store.records().delete("account:${account.id}", account.version, null) }
        assertEquals(listOf("contact:${contact.id}"), inUse.dependants)
        val done = store.records().delete("account:${account.id}", account.version, OnDependants.Cascade)
        assertEquals(listOf("contact:${contact.id}", "account:${account.id}"), done.deleted)
    }
}

fun duplicatesAreReviewed() = CrmStore.inMemory("DE").use { store ->
    fun capture(first: String, last: String, email: String) = store.leads().capture(LeadInput(mapOf(
        "first_name" to first, "last_name" to last, "company" to "Analytical Engines", "email" to email))).lead
    assertEquals(0.92, store.duplicates().rules("lead").name!!.nameThreshold)
    val a = capture("John", "Smith", "john@engines.example")
    val b = capture("John", "Smith", "j.smith@engines.example")
    val page = store.duplicates().reviews(ReviewStatus.OPEN, null)
    assertEquals(1, page.items.size)
    val id = Regex("\"id\":(\\d+)").find(page.items[0])!!.groupValues[1].toLong()
    val review = store.duplicates().review(id)
    assertEquals(listOf("lead:${a.id}", "lead:${b.id}"), listOf(review.first, review.second))
    assertTrue(review.possible)
    assertFailsWith<CrmException.Conflict> {
        store.duplicates().resolve(review.id, review.version + 1, Resolution.NotDuplicate)
    }
    val decided = store.duplicates().resolve(review.id, review.version, Resolution.NotDuplicate)
    assertEquals(ReviewStatus.NOT_DUPLICATE, decided.status)
    assertEquals(emptyList(), store.leads().duplicatesOf(b.id))
    // exact names only, for leads: a typo no longer matches
    store.duplicates().setRules("lead", DuplicateRules(name = NameRule(exact = true, nameThreshold = 0.92, companyThreshold = 0.88)))
    val c = capture("John", "Smyth", "smyth@engines.example")
    assertEquals(emptyList(), store.leads().duplicatesOf(c.id))
    assertFailsWith<CrmException.InvalidValue> {
        store.duplicates().setRules("account", DuplicateRules(name = null))
    }
    // the leads exported as CSV: a header and one row per lead
    val file = Files.createTempFile("leads", ".csv").toFile()
    val report = store.records().export("lead", file.path, ExportOptions(format = ExportFormat.CSV, columns = listOf("id", "data.email")))
    assertEquals(3UL, report.records)
    assertEquals(listOf("id,data.email", "${a.id},john@engines.example"), file.readLines().take(2))
    file.delete()
    Unit
}

fun recordsAreImportedFromFiles() = CrmStore.inMemory("DE").use { store ->
    store.customers().createAccount(NewAccount(name = "Engines", address = Address()))
    // Latin-1 bytes and semicolons, detected; contacts linked to their account by its name
    val file = Files.createTempFile("contacts", ".csv").toFile()
    file.writeBytes("account@name;last_name;email\nEngines;Lovelace;ada@engines.example\nNobody;Babbage;cb@engines.example\n".toByteArray(Charsets.ISO_8859_1))
    val strict = store.records().importFile("contact", file.path, null)
    assertEquals(listOf(1UL, 1UL), listOf(strict.created, strict.refused))
    assertEquals("not_found", strict.problems.single().code)
    assertEquals("account@name", strict.problems.single().column)
    val lenient = store.records().importFile("contact", file.path, ImportRecordsOptions(lenient = true))
    assertEquals(2UL, lenient.created)
    assertTrue(lenient.problems.single().leftOut)
    assertEquals(3, store.customers().contacts().size)
    assertFailsWith<CrmException.InvalidValue> {
        store.records().importFile("pipeline", file.path, null)
    }
    file.delete()
    Unit
}

fun customFieldsAreTypedAndChecked() = CrmStore.inMemory("DE").use { store ->
    store.customFields().define(NewCustomField(kind = "account", name = "employees",
        spec = CustomFieldSpec(label = "Employees", fieldType = FieldType.Number)))
    store.customFields().define(NewCustomField(kind = "account", name = "tier",
        spec = CustomFieldSpec(label = "Tier", fieldType = FieldType.Picklist(listOf("Gold", "Silver")), default = "\"Silver\"")))
    // values cross as texts; the definitions read them by type
    val account = store.customers().createAccount(NewAccount(name = "Engines", address = Address(), custom = mapOf("employees" to "250")))
    assertEquals(mapOf("employees" to "250", "tier" to "Silver"), account.custom)
    val refused = assertFailsWith<CrmException.Validation> {
        store.customers().createAccount(NewAccount(name = "Babbage", address = Address(), custom = mapOf("employees" to "many", "tier" to "Platinum")))
    }
    assertEquals(listOf("custom.employees", "custom.tier"), refused.problems.map { it.field })
    val tier = store.customFields().get("account", "tier")!!
    val change = store.customFields().rename("account", "tier", tier.version, "level")
    assertEquals(1UL, change.recordsChanged)
    assertEquals("Silver", store.customers().account(account.id).custom["level"])
    assertFailsWith<CrmException.InUse> { store.customFields().remove("account", "level", change.field.version, false) }
    // search finds the account by its name, without the accent
    val hits = store.records().search(SearchQuery(text = "engines", kinds = listOf("account")))
    assertEquals(listOf("account:${account.id}"), hits.map { it.record })
    assertEquals("name", hits[0].field)
    // a person exported, then erased
    val lead = store.leads().capture(LeadInput(mapOf("last_name" to "Lovelace", "email" to "ada@engines.example"))).lead
    val export = store.privacy().exportPerson(Person.Lead(lead.id))
    assertTrue(export.contains("\"lead:${lead.id}\""), export)
    val erasure = store.privacy().erasePerson(Person.Email("ada@engines.example"))
    assertEquals(listOf("lead:${lead.id}"), erasure.anonymised)
    assertFailsWith<CrmException.NotFound> { store.privacy().exportPerson(Person.Lead(999L)) }
    Unit
}

fun usersSeeWhatTheyMay() {
    CrmStore.inMemory("DE").use { store ->
        val access = store.access()
        access.setPermissionSet(PermissionSetSpec(name = "sales",
            objects = listOf(ObjectPermission(kind = "lead", read = true, create = true, edit = true))))
        access.setRole(RoleSpec(name = "manager", permissionSets = listOf("sales")))
        access.setRole(RoleSpec(name = "rep", parent = "manager", permissionSets = listOf("sales")))
        for ((login, role) in listOf("mia" to "manager", "rep1" to "rep", "rep2" to "rep")) {
            access.setUser(UserSpec(login = login, role = role))
        }
        val ada = store.leads().capture(LeadInput(mapOf("last_name" to "Ada", "email" to "ada@example.com", "owner" to "rep1"))).lead
        val alan = store.leads().capture(LeadInput(mapOf("last_name" to "Alan", "email" to "alan@example.com", "owner" to "rep2"))).lead
        val rep1 = store.asUser("rep1")
        assertEquals("rep1", rep1.user())
        assertEquals(null, store.user())
        assertEquals(listOf(ada.id), rep1.leads().list().map { it.id })
        assertEquals(listOf(ada.id, alan.id), store.asUser("mia").leads().list().map { it.id })
        val refused = assertFailsWith<CrmException.Forbidden> { rep1.leads().get(alan.id) }
        assertEquals("read", refused.operation)
        store.asUser("rep2").access().share("lead:${alan.id}", GranteeRef.User(name = "rep1"), ShareAccess.READ)
        assertEquals(Level.READ, rep1.access().accessTo("lead:${alan.id}"))
        assertEquals(listOf(ada.id, alan.id), rep1.leads().list().map { it.id })
        assertFailsWith<CrmException.Forbidden> { store.asUser("nobody") }
    }
}

fun main() {
    val tests = listOf(
        "leads are captured, edited and kept" to ::leadsAreCapturedEditedAndKept,
        "a lead is converted and a case gets its SLA due instant" to ::aLeadIsConvertedAndACaseGetsItsSlaDueInstant,
        "quotes are priced exactly" to ::quotesArePricedExactly,
        "bad input is a typed exception" to ::badInputIsATypedException,
        "every error kind is its own exception" to ::everyErrorKindIsItsOwnException,
        "scoring matches the shared vectors" to ::scoringMatchesTheSharedVectors,
        "two threads share one store" to ::twoThreadsShareOneStore,
        "the parity scenario passes" to ::theParityScenarioPasses,
        "long calls suspend the coroutine" to ::longCallsSuspendTheCoroutine,
        "jobs report progress and cancelling" to ::jobsReportProgressAndCancelling,
        "actors, history, archive and delete" to ::actorsHistoryArchiveAndDelete,
        "custom fields are typed and checked" to ::customFieldsAreTypedAndChecked,
        "duplicates are reviewed" to ::duplicatesAreReviewed,
        "records are imported from files" to ::recordsAreImportedFromFiles,
        "users see what they may" to ::usersSeeWhatTheyMay,
    )
    var passed = 0
    var failed = 0
    for ((name, test) in tests) {
        try {
            test()
            passed++
            println("ok - $name")
        } catch (e: Throwable) {
            failed++
            println("FAILED - $name: $e")
            e.printStackTrace()
        }
    }
    println("kotlin: $passed passed, $failed failed")
    if (failed > 0) kotlin.system.exitProcess(1)
}
