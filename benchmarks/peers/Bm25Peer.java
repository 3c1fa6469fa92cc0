// BM25 top-100 over pre-segmented text in Lucene Java 8 (Debian liblucene8-java): the same program as
// `Matching.Peers bm25` (Lucene.Net 4.8). Compiled and run by bm25.sh.
//
// usage: java -cp LUCENE_JARS:. Bm25Peer DUMP_DIR [--dir mmap|heap] [--collector default|exhaustive] [--index DIR]
//                                         [--queries 0] [--warmup 5] [--rounds 3] [--passes 5] [--run-out FILE]
//
// DUMP_DIR holds docs.tsv and queries.tsv (id TAB space-joined terms) written by `Matching.Peers bm25-dump`.
// Index: whitespace analyzer, BM25Similarity(k1 1.2, b 0.75), one segment with the documents in input order (one
// indexing thread; flushed segments merged by LogDocMergePolicy, which only joins neighbours). --index DIR keeps the
// on-disk index between runs (built there when absent; --dir heap copies it into memory). --queries N: the first N
// queries only. Queries: one SHOULD TermQuery
// per distinct term. --collector default is IndexSearcher.search(query, 100), which counts hits exactly
// only up to 1,000 and then skips non-competitive blocks (block-max WAND); exhaustive scores every
// matching document, as Lucene.Net 4.8 does. One search thread; each measured round runs every query
// --passes times (warm-up rounds once each).
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.io.PrintWriter;

import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.Version;

public final class Bm25Peer {
    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return fallback;
    }

    private static List<String[]> readTsv(Path path) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            rows.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
        }
        return rows;
    }

    private static String json(double[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) s.append(',');
            s.append(String.format(Locale.ROOT, "%.6f", values[i]));
        }
        return s.append(']').toString();
    }

    private static String loadAvg() throws IOException {
        String[] parts = Files.readString(Paths.get("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    public static void main(String[] args) throws Exception {
        Path dump = Paths.get(args[0]);
        String dirKind = option(args, "--dir", "mmap");
        String collector = option(args, "--collector", "default");
        int warmup = Integer.parseInt(option(args, "--warmup", "5"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        int passes = Integer.parseInt(option(args, "--passes", "5"));
        String runOut = option(args, "--run-out", null);
        boolean exhaustive = collector.equals("exhaustive");

        String indexDir = option(args, "--index", null);
        int queryLimit = Integer.parseInt(option(args, "--queries", "0"));
        List<String[]> queryRows = readTsv(dump.resolve("queries.tsv"));
        if (queryLimit > 0 && queryRows.size() > queryLimit) queryRows = queryRows.subList(0, queryLimit);
        BM25Similarity similarity = new BM25Similarity(1.2f, 0.75f);
        Path temp = indexDir != null ? Paths.get(indexDir) : Files.createTempDirectory("matching-peers-lucene8-");
        Directory directory = dirKind.equals("heap") ? new ByteBuffersDirectory() : new MMapDirectory(temp);
        boolean reuse = indexDir != null && Files.isDirectory(temp) && DirectoryReader.indexExists(FSDirectory.open(temp));

        double indexSeconds = -1;
        if (reuse) {
            System.err.println(temp + ": reusing the index");
            if (dirKind.equals("heap")) {
                try (Directory disk = new MMapDirectory(temp)) {
                    for (String file : disk.listAll()) directory.copyFrom(disk, file, file, IOContext.DEFAULT);
                }
            }
        } else {
            long indexStart = System.nanoTime();
            Directory target = indexDir != null ? new MMapDirectory(temp) : directory;
            IndexWriterConfig config = new IndexWriterConfig(new WhitespaceAnalyzer());
            config.setSimilarity(similarity);
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
            config.setRAMBufferSizeMB(1024);
            config.setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH);
            LogDocMergePolicy merges = new LogDocMergePolicy();
            merges.setMergeFactor(1000);
            merges.setNoCFSRatio(0.0);
            config.setMergePolicy(merges);
            config.setUseCompoundFile(false);
            try (IndexWriter writer = new IndexWriter(target, config);
                 BufferedReader lines = Files.newBufferedReader(dump.resolve("docs.tsv"), StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    int tab = line.indexOf('\t');
                    Document d = new Document();
                    d.add(new StringField("id", line.substring(0, tab), Field.Store.YES));
                    d.add(new TextField("body", line.substring(tab + 1), Field.Store.NO));
                    writer.addDocument(d);
                }
                writer.forceMerge(1);
                writer.commit();
            }
            if (target != directory) {
                target.close();
                if (dirKind.equals("heap")) {
                    try (Directory disk = new MMapDirectory(temp)) {
                        for (String file : disk.listAll()) directory.copyFrom(disk, file, file, IOContext.DEFAULT);
                    }
                }
            }
            indexSeconds = (System.nanoTime() - indexStart) / 1e9;
        }

        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            if (reader.leaves().size() != 1) throw new IllegalStateException("expected one segment, got " + reader.leaves().size());
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(similarity);
            searcher.setQueryCache(null);
            String[] ids = new String[reader.maxDoc()];
            for (int doc = 0; doc < reader.maxDoc(); doc++) ids[doc] = reader.document(doc).get("id");

            List<String> qids = new ArrayList<>();
            List<Query> queries = new ArrayList<>();
            long termCount = 0;
            for (String[] row : queryRows) {
                LinkedHashSet<String> terms = new LinkedHashSet<>(Arrays.asList(row[1].split(" ")));
                terms.remove("");
                if (terms.isEmpty()) continue;
                BooleanQuery.Builder builder = new BooleanQuery.Builder();
                for (String term : terms) builder.add(new TermQuery(new Term("body", term)), BooleanClause.Occur.SHOULD);
                termCount += terms.size();
                qids.add(row[0]);
                queries.add(builder.build());
            }

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double[] warmupCpus = new double[warmup];
            double[] walls = new double[rounds];
            double[] cpus = new double[rounds];
            double[] threadCpus = new double[rounds];
            long sink = 0;
            for (int round = -warmup; round < rounds; round++) {
                long cpu = os.getProcessCpuTime();
                long threadCpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int p = 0; p < (round >= 0 ? passes : 1); p++) {
                    for (Query query : queries) sink += top(searcher, query, exhaustive).scoreDocs.length;
                }
                if (round < 0) warmupCpus[round + warmup] = (os.getProcessCpuTime() - cpu) / 1e9;
                if (round >= 0) {
                    walls[round] = (System.nanoTime() - wall) / 1e9;
                    cpus[round] = (os.getProcessCpuTime() - cpu) / 1e9;
                    threadCpus[round] = (threads.getCurrentThreadCpuTime() - threadCpu) / 1e9;
                }
            }
            if (sink < 0) System.err.println(sink);

            if (runOut != null) {
                Path runTemp = Paths.get(runOut + ".tmp");
                try (PrintWriter run = new PrintWriter(Files.newBufferedWriter(runTemp, StandardCharsets.UTF_8))) {
                    for (int q = 0; q < queries.size(); q++) {
                        ScoreDoc[] top = top(searcher, queries.get(q), exhaustive).scoreDocs;
                        for (int rank = 0; rank < top.length; rank++) {
                            run.print(qids.get(q) + " Q0 " + ids[top[rank].doc] + " " + (rank + 1) + " " + top[rank].score + " lucene8-" + collector + "\n");
                        }
                    }
                }
                Files.move(runTemp, Paths.get(runOut), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }

            System.out.println("{\"kind\":\"bm25\",\"peer\":\"Lucene Java " + Version.LATEST + " (Debian liblucene8-java), BM25Similarity, "
                + (exhaustive ? "exhaustive collector" : "search(q, 100) (block-max WAND past 1,000 hits)") + ", " + dirKind
                + ", Java " + System.getProperty("java.version") + "\",\"key\":\"lucene8." + collector + "." + dirKind
                + "\",\"queries\":" + queries.size() * passes + ",\"distinct_queries\":" + queries.size() + ",\"docs\":" + reader.numDocs()
                + ",\"terms_per_query\":" + String.format(Locale.ROOT, "%.1f", termCount / (double) queries.size())
                + ",\"index_s\":" + (indexSeconds < 0 ? "null" : String.format(Locale.ROOT, "%.3f", indexSeconds))
                + ",\"warmup_cpu_s\":" + json(warmupCpus)
                + ",\"wall_s\":" + json(walls) + ",\"cpu_s\":" + json(cpus) + ",\"thread_cpu_s\":" + json(threadCpus) + ",\"load_avg\":\"" + loadAvg() + "\""
                + ",\"dump\":\"" + dump.toAbsolutePath().normalize() + "\"}");
        } finally {
            directory.close();
            if (indexDir == null) {
                try (var files = Files.walk(temp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static TopDocs top(IndexSearcher searcher, Query query, boolean exhaustive) throws IOException {
        if (!exhaustive) return searcher.search(query, 100);
        TopScoreDocCollector collector = TopScoreDocCollector.create(100, Integer.MAX_VALUE);
        searcher.search(query, collector);
        return collector.topDocs();
    }
}
