// kotlinx-coroutines as Debian packages it (libkotlinx-coroutines-java, 1.0.1: Maven Central
// is out of reach here) predates this opt-in marker (1.5), which uniffi's generated Kotlin
// imports for its async support; the marker alone is added here, everything that runs is
// the library's own. An app builds against a current kotlinx-coroutines and drops this file.
package kotlinx.coroutines

@RequiresOptIn(level = RequiresOptIn.Level.WARNING)
@Retention(AnnotationRetention.BINARY)
annotation class DelicateCoroutinesApi
