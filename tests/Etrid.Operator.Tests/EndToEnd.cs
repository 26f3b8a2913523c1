// Every test here runs the demo as a process (and a fresh clone builds it): the inner loop leaves them out
// with --filter "Category!=EndToEnd" (README, "Tests").
[assembly: AssemblyTrait("Category", "EndToEnd")]
