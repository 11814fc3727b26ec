// The parity scenario (tests/parity/scenario.json) through the generated Kotlin: every step
// calls its use case by name on the store's namespace (`store.leads().capture(…)`, found by
// reflection), with arguments built as the generated typed records by the library's parity
// support (crm-mobile/src/parity.rs) and the result handed back to be compared as
// crm-core's JSON. A method missing or mis-wired in the Kotlin fails the step; a declared
// use case the scenario never calls fails the coverage check.
import java.io.File
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import org.crmcore.CrmStore
import org.crmcore.ParityRun
import org.crmcore.model.CrmException

/** `start_working` → `startWorking`. */
fun lowerCamel(snake: String): String =
    snake.split('_').mapIndexed { i, part -> if (i == 0) part else part.replaceFirstChar { it.uppercase() } }.joinToString("")

/** `start_working` → `StartWorking`. */
fun upperCamel(snake: String): String = lowerCamel(snake).replaceFirstChar { it.uppercase() }

/** A Kotlin name on the JVM (inline-class parameters add `-hash` to a method's name). */
fun jvmName(method: Method): String = method.name.substringBefore('-')

/** The fields of a generated record, in declaration order (its `componentN` functions). */
fun fieldsOf(record: Any): Array<Any?> =
    record.javaClass.methods
        .filter { it.parameterCount == 0 && Regex("component\\d+").matches(jvmName(it)) }
        .sortedBy { jvmName(it).removePrefix("component").toInt() }
        .map { it.invoke(record) }
        .toTypedArray()

/** crm-core's stable code of a generated exception (each case carries `code`). */
fun codeOf(e: CrmException): String = e.javaClass.getMethod("getCode").invoke(e) as String

fun theParityScenarioPasses() {
    val scenario = File(System.getProperty("crm.scenario") ?: error("-Dcrm.scenario=FILE is required")).readText()
    val functions = Class.forName("org.crmcore.Crm_mobileKt").methods.associateBy(::jvmName)
    ParityRun(scenario).use { run ->
        CrmStore.inMemory(run.region()).use { store ->
            for ((i, step) in run.steps().withIndex()) {
                val at = "step $i (${step.namespace}.${step.name})"
                val namespace = store.javaClass.getMethod(lowerCamel(step.namespace)).invoke(store)
                val method = namespace.javaClass.methods.singleOrNull { jvmName(it) == lowerCamel(step.name) }
                    ?: error("$at: ${step.namespace}().${lowerCamel(step.name)} is missing in the Kotlin")
                val key = upperCamel(step.namespace) + upperCamel(step.name)
                val readArgs = functions["parity${key}Args"] ?: error("$at: no parity${key}Args")
                val writeResult = functions["parity${key}Result"] ?: error("$at: no parity${key}Result")
                var result: String? = null
                var code: String? = null
                try {
                    val args = readArgs.invoke(null, run.args(i.toUInt()))
                    // a step `as_user` is made through a handle bound to that user
                    val target = step.asUser?.let { login ->
                        try {
                            store.asUser(login).let { store.javaClass.getMethod(lowerCamel(step.namespace)).invoke(it) }
                        } catch (e: CrmException) {
                            throw InvocationTargetException(e)
                        }
                    } ?: namespace
                    val value = method.invoke(target, *fieldsOf(args))
                    result = writeResult.invoke(null, value) as String
                } catch (e: InvocationTargetException) {
                    code = codeOf(e.targetException as? CrmException ?: throw e.targetException)
                }
                run.judge(i.toUInt(), result, code)
            }
            val missing = run.uncovered()
            check(missing.isEmpty()) { "declared use cases the scenario never calls: $missing" }
        }
    }
}
